import type { Processor, ProcessorContext } from '../../runtime/processor.js';
import type { StreamRecord, Windowed } from '../../runtime/record.js';
import type { SessionEntry, SessionStore } from '../../state/store.js';
import { IdleClose } from './idle-close.js';
import { PendingWindows } from './pending-windows.js';
import type { SessionWindowSpec } from './window-specs.js';
import type { WindowedAggregateConfig } from './windowed-aggregate-config.js';

/** Final mode: a session not emitted yet. */
interface OpenSession<K> {
  readonly key: K;
  readonly start: number;
}

/**
 * Windowed aggregation over session windows with Kafka Streams' semantics. A record at t joins
 * every session of its key that ends at or after t - gap and starts at or before t + gap; they
 * merge, with the record, into one session [earliest start, latest end] (both ends inclusive, as
 * the SessionStore keeps them), their accumulators combined with `aggregator.merge`. Results are
 * keyed by `Windowed` with the exclusive-end convention of every TimeWindow:
 * `{ start, end: sessionEnd + 1 }`, and timestamped with the session's (inclusive) end.
 *
 * Closing follows Kafka Streams since 3.0: with closeTime = observed stream time - grace - gap, a
 * session is closed once its inclusive end < closeTime (stream time > end + gap + grace). A record
 * whose merged session would end before closeTime is late: counted (`<node>.late-records`), sent
 * to the late-records output, and not aggregated. A closed session never takes in more records
 * (the session store's retention of gap + grace drops it as it closes; Kafka Streams' coarser,
 * segment-based retention may still merge into it).
 *
 * Emit 'eager' forwards, for each merge, a `null` value for every old session that disappeared
 * (a retraction keyed by the old window), then the merged session's result. A record that falls
 * inside an existing session only updates it: no retraction of a window that stays the same.
 * Emit 'final' forwards each session once when it closes and deletes it from the store, so a
 * restart emits exactly the sessions still open; a record that arrives after a session's final
 * result (within gap + grace) starts a new session rather than reopening the emitted one.
 */
export class SessionWindowAggregateProcessor<K, V, Acc, Out>
  implements Processor<K, V, Windowed<K>, Out | null>
{
  private context!: ProcessorContext<Windowed<K>, Out | null>;
  private store!: SessionStore<K, Acc>;
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  private idle: IdleClose | undefined;
  /** Sessions read for the record being processed (reused; cleared after each record). */
  private readonly found: SessionEntry<K, Acc>[] = [];
  /** Final mode: open sessions per inclusive end (one per key and end), and the ends in ascending order. */
  /** Final mode: open sessions by end. */
  private readonly pending = new PendingWindows<K, OpenSession<K>>();
  private readonly gapMs: number;
  private readonly graceMs: number;

  constructor(private readonly config: WindowedAggregateConfig<SessionWindowSpec, V, Acc, Out>) {
    this.gapMs = config.spec.gapMs;
    this.graceMs = config.spec.graceMs;
  }

  init(context: ProcessorContext<Windowed<K>, Out | null>): void {
    this.context = context;
    // Stream time restored from the task's checkpoint: records late before a restart stay late after it.
    this.observedStreamTime = context.currentStreamTime();
    this.store = context.getStateStore<SessionStore<K, Acc>>(this.config.storeName);
    if (this.config.emit === 'final') {
      // Final mode deletes sessions once emitted: whatever is in the store is still open.
      for (const entry of this.store.all()) {
        this.pending.add(entry.session.end, entry.key, { key: entry.key, start: entry.session.start });
      }
    }
    if (this.config.idleCloseMs !== undefined) {
      this.idle = new IdleClose(
        context as ProcessorContext<unknown, unknown>,
        this.config.idleCloseMs,
        (idleFor) => this.closeIdle(idleFor),
      );
    }
  }

  process(record: StreamRecord<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.count('null-key-records');
      return;
    }
    const t = record.timestamp;
    if (t > this.observedStreamTime) this.observedStreamTime = t;
    this.idle?.touch();
    const eager = this.config.emit === 'eager';
    // Emit before writing: a write can expire old sessions from the store.
    if (!eager) this.emitClosed();

    const found = this.found;
    const closeTime = this.closeTime();
    let start = t;
    let end = t;
    // Read everything first: the merge below removes sessions from the store being read.
    for (const entry of this.store.findSessions(key, t - this.gapMs, t + this.gapMs)) {
      // A closed session is final (the store's retention usually has dropped it already).
      if (entry.session.end < closeTime) continue;
      found.push(entry);
      if (entry.session.start < start) start = entry.session.start;
      if (entry.session.end > end) end = entry.session.end;
    }
    if (end < closeTime) {
      found.length = 0;
      this.onLate(record);
      return;
    }

    const aggregator = this.config.aggregator;
    let acc: Acc | undefined;
    let replacesSameWindow = false;
    for (let i = 0; i < found.length; i++) {
      const { session, value } = found[i]!;
      // init() is merge's identity, so merging starts from the first session's accumulator.
      acc = acc === undefined ? value : aggregator.merge(acc, value);
      if (session.start === start && session.end === end) {
        replacesSameWindow = true;
        continue;
      }
      this.store.remove(key, session);
      if (eager) this.forward(key, session.start, session.end, null);
      else this.pending.remove(session.end, key); // merged into the new session: not emitted on its own
    }
    found.length = 0;
    acc = aggregator.add(acc === undefined ? aggregator.init() : acc, record.value, key);
    this.store.put(key, { start, end }, acc);
    if (eager) this.forward(key, start, end, aggregator.result(acc));
    else if (!replacesSameWindow) this.pending.add(end, key, { key, start });
  }

  private closeTime(): number {
    return this.observedStreamTime - this.graceMs - this.gapMs;
  }

  private onLate(record: StreamRecord<K, V>): void {
    this.context.count('late-records');
    if (this.config.lateChild !== undefined) {
      (this.context as unknown as ProcessorContext<K, V>).forward(record, this.config.lateChild);
    }
  }

  /** Forwards a session's result (or a null retraction), keyed with the exclusive end, at the session's end. */
  private forward(key: K, start: number, end: number, value: Out | null): void {
    this.context.forward(
      { key: { key, window: { start, end: end + 1 } }, value, timestamp: end },
      this.config.resultChild,
    );
  }

  /** Final mode: emits and deletes every open session whose end < `closeTime` (by default: the sessions that closed). */
  private emitClosed(closeTime = this.closeTime()): void {
    this.pending.takeDue(
      (end) => end < closeTime,
      (end, { key, start }) => {
        const session = { start, end };
        const acc = this.store.fetchSession(key, session);
        if (acc === undefined) return;
        this.forward(key, start, end, this.config.aggregator.result(acc));
        this.store.remove(key, session);
      },
    );
  }

  /** End of input: final mode emits every session still open. */
  endOfInput(): void {
    if (this.config.emit === 'final') this.emitClosed(Number.POSITIVE_INFINITY);
  }

  /** Wall-clock idle close, as for time windows: stream time moves on by the idle time. */
  private closeIdle(idleFor: number): void {
    if (!Number.isFinite(this.observedStreamTime)) return;
    this.observedStreamTime += idleFor;
    this.context.count('idle-advances');
    if (this.config.emit === 'final') this.emitClosed();
  }
}
