import type { Processor, ProcessorContext } from '../../runtime/processor.js';
import type { StreamRecord, Windowed } from '../../runtime/record.js';
import type { WindowStore } from '../../state/store.js';
import { IdleClose } from './idle-close.js';
import { PendingWindows } from './pending-windows.js';
import type { SlidingWindowSpec } from './window-specs.js';
import { WindowStartIndex } from './window-start-index.js';
import type { WindowedAggregateConfig } from './windowed-aggregate-config.js';

/**
 * What a sliding-window aggregation keeps per (key, window start) in its window store: the
 * accumulator, the newest record time in the window (the time results carry, and how the algorithm
 * tells which records a window holds), and in emit-final mode whether the result was emitted.
 */
export interface SlidingWindowState<Acc> {
  acc: Acc;
  maxTimestamp: number;
  emitted?: true;
}

/**
 * Windowed aggregation over sliding windows with Kafka Streams' semantics (SlidingWindows, KIP-450).
 *
 * A window spans the time difference D with both ends inclusive, `[start, start + D]`; tributary
 * reports it with an exclusive end like every TimeWindow: `{ start, end: start + D + 1 }` (Kafka
 * Streams' inclusive end is `end - 1`). Windows exist only where records make them distinct: for
 * a record at t, its left window `[t - D, t]`, and its right window `[t + 1, t + 1 + D]` when a
 * later record falls in it. Each record updates every window that contains it. Records earlier
 * than D (near the epoch) share the window `[0, D]`, as in Kafka Streams.
 *
 * Closing, with closeTime = observed stream time - grace: a window is open while its inclusive end
 * `>= closeTime`, and closed once `start + D < closeTime` (in exclusive terms `end + grace <= stream
 * time`, the rule of tumbling and hopping windows). A record is late when one of its windows was
 * closed, which is the case exactly when `t < closeTime`: it is counted (`<node>.late-records`) and
 * sent to the late-records output; it still updates the windows that are open, and is dropped
 * entirely when `t + D < closeTime`.
 *
 * Emit 'eager' forwards each window's new result on every update, timestamped with the newest
 * record time in the window. Emit 'final' forwards one result per window once it closes. Closed
 * windows stay in the store, marked as emitted, because later windows are built from them (the
 * aggregate of a new left window starts from an earlier window's); retention removes them.
 */
export class SlidingWindowAggregateProcessor<K, V, Acc, Out> implements Processor<K, V, Windowed<K>, Out> {
  private context!: ProcessorContext<Windowed<K>, Out>;
  private store!: WindowStore<K, SlidingWindowState<Acc>>;
  private index!: WindowStartIndex<K>;
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  private idle: IdleClose | undefined;
  /** Set while processing a record when one of its windows was closed. */
  private late = false;
  /** Window starts of the record being processed (reused from record to record). */
  private readonly starts: number[] = [];
  /** Final mode: windows not emitted yet, per start, and their starts in ascending order. */
  private readonly pending = new PendingWindows<K, K>();
  private readonly diffMs: number;
  private readonly graceMs: number;

  constructor(private readonly config: WindowedAggregateConfig<SlidingWindowSpec, V, Acc, Out>) {
    this.diffMs = config.spec.timeDifferenceMs;
    this.graceMs = config.spec.graceMs;
  }

  init(context: ProcessorContext<Windowed<K>, Out>): void {
    this.context = context;
    // Stream time restored from the task's checkpoint: records late before a restart stay late after it.
    this.observedStreamTime = context.currentStreamTime();
    this.store = context.getStateStore<WindowStore<K, SlidingWindowState<Acc>>>(this.config.storeName);
    this.index = WindowStartIndex.fromStore(this.store);
    if (this.config.emit === 'final') {
      for (const entry of this.store.all()) {
        if (!entry.value.emitted) this.pending.add(entry.windowStart, entry.key, entry.key);
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
    if (record.key === null || record.key === undefined) {
      this.context.count('null-key-records');
      return;
    }
    const t = record.timestamp;
    if (t > this.observedStreamTime) this.observedStreamTime = t;
    this.idle?.touch();
    const closeTime = this.observedStreamTime - this.graceMs;
    // Emit before writing: a write can expire old windows from the store.
    if (this.config.emit === 'final') this.emitClosed();
    if (t + this.diffMs < closeTime) {
      this.onLate(record);
      return;
    }
    this.late = false;
    if (t < this.diffMs) this.processEarly(record, closeTime);
    else this.processRecord(record, closeTime);
    if (this.late) this.onLate(record);
  }

  /**
   * The general case (t >= D). Walks the key's windows with starts in [t - 2D, t + 1] from the
   * latest start down: the window starting at t + 1 is this record's right window; windows ending
   * after t contain t and are updated (the latest of them holds exactly the records after t, so it
   * seeds the right window); a window ending at t is the left window; the first window ending
   * before t holds the records that precede t in its left window, and ends the walk.
   */
  private processRecord(record: StreamRecord<K, V>, closeTime: number): void {
    const key = record.key;
    const t = record.timestamp;
    const d = this.diffMs;
    // Window starts come from the index; windows are read only as far as the walk goes.
    const starts = this.startsOf(key, Math.max(0, t - 2 * d), t + 1);
    let leftExists = false;
    let rightExists = false;
    let rightCandidateSeen = false;
    let rightSeed: SlidingWindowState<Acc> | undefined;
    let leftSource: SlidingWindowState<Acc> | undefined;
    let previousTimestamp: number | undefined;
    for (let i = starts.length - 1; i >= 0; i--) {
      const start = starts[i]!;
      if (start === t + 1) {
        rightExists = true;
        continue;
      }
      const state = this.store.fetch(key, start);
      if (state === undefined) continue;
      const end = start + d;
      if (end > t) {
        if (!rightCandidateSeen) {
          rightCandidateSeen = true;
          // Copied before the update below adds this record to it.
          if (!rightExists && state.maxTimestamp > t) rightSeed = copyState(state);
        }
        this.updateWindow(record, start, state, false, closeTime);
      } else if (end === t) {
        leftExists = true;
        const newestBefore = state.maxTimestamp;
        this.updateWindow(record, start, state, false, closeTime);
        // A record at t was seen before: every window this record needs exists already.
        if (newestBefore >= t) return;
        previousTimestamp = newestBefore;
      } else {
        leftSource = state;
        previousTimestamp = state.maxTimestamp;
        break;
      }
    }
    if (previousTimestamp !== undefined) {
      // The previous record's right window, when it was empty until now.
      const previousRightStart = previousTimestamp + 1;
      if (previousRightStart + d >= t && !starts.includes(previousRightStart)) {
        this.createWindow(record, previousRightStart, undefined, closeTime);
      }
    }
    if (!leftExists) {
      const seed = previousTimestamp !== undefined && previousTimestamp >= t - d ? leftSource : undefined;
      this.createWindow(record, t - d, seed, closeTime);
    }
    if (rightSeed !== undefined) this.createRightWindow(key, t + 1, rightSeed);
  }

  /**
   * Records with t < D: their left windows would start before the epoch, so they all go into the
   * window [0, D] (Kafka Streams' workaround), and right windows are made as in the general case.
   */
  private processEarly(record: StreamRecord<K, V>, closeTime: number): void {
    const key = record.key;
    const t = record.timestamp;
    const starts = this.startsOf(key, 0, t + 1);
    const rightExists = starts.length > 0 && starts[starts.length - 1] === t + 1;
    let combined: SlidingWindowState<Acc> | undefined;
    let previousTimestamp: number | undefined;
    let rightSeed: SlidingWindowState<Acc> | undefined;
    let latestContaining = -1;
    for (let i = 0; i < starts.length; i++) {
      if (starts[i]! > 0 && starts[i]! <= t) latestContaining = i;
    }
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      if (start > t) break;
      const state = this.store.fetch(key, start);
      if (state === undefined) continue;
      if (start === 0) {
        combined = state;
        if (state.maxTimestamp < t) previousTimestamp = state.maxTimestamp;
      } else {
        if (i === latestContaining && !rightExists && state.maxTimestamp > t) rightSeed = copyState(state);
        this.updateWindow(record, start, state, false, closeTime);
      }
    }
    // With no window between 0 and t, the combined window holds only records after t (if any).
    if (latestContaining < 0 && combined !== undefined && !rightExists && combined.maxTimestamp > t) {
      rightSeed = copyState(combined);
    }
    if (rightSeed !== undefined) this.createRightWindow(key, t + 1, rightSeed);
    if (previousTimestamp !== undefined && !starts.includes(previousTimestamp + 1)) {
      this.createWindow(record, previousTimestamp + 1, undefined, closeTime);
    }
    if (combined === undefined) this.createWindow(record, 0, undefined, closeTime);
    else this.updateWindow(record, 0, combined, false, closeTime);
  }

  /** The key's window starts with from <= start <= to, ascending (a reused array, valid for one record). */
  private startsOf(key: K, from: number, to: number): number[] {
    const starts = this.starts;
    starts.length = 0;
    this.index.startsBetween(key, from, to, starts);
    return starts;
  }

  /** A new window holding `seed`'s records (copied) or none, plus this record. */
  private createWindow(
    record: StreamRecord<K, V>,
    start: number,
    seed: SlidingWindowState<Acc> | undefined,
    closeTime: number,
  ): void {
    if (start + this.diffMs < closeTime) {
      this.late = true;
      return;
    }
    const acc = seed === undefined ? this.config.aggregator.init() : copyAcc(seed.acc);
    this.updateWindow(record, start, { acc, maxTimestamp: record.timestamp }, true, closeTime);
  }

  /** The record's right window, holding exactly the records of `seed` (all later than the record). */
  private createRightWindow(key: K, start: number, seed: SlidingWindowState<Acc>): void {
    this.store.put(key, seed, start);
    this.index.add(key, start);
    if (this.config.emit === 'eager') this.forwardResult(key, start, seed);
    else this.pending.add(start, key, key);
  }

  /** Adds the record to an open window and stores it; a closed window makes the record late. */
  private updateWindow(
    record: StreamRecord<K, V>,
    start: number,
    state: SlidingWindowState<Acc>,
    isNew: boolean,
    closeTime: number,
  ): void {
    if (start + this.diffMs < closeTime || state.emitted) {
      this.late = true;
      return;
    }
    state.acc = this.config.aggregator.add(state.acc, record.value, record.key);
    if (record.timestamp > state.maxTimestamp) state.maxTimestamp = record.timestamp;
    this.store.put(record.key, state, start);
    if (isNew) this.index.add(record.key, start);
    if (this.config.emit === 'eager') this.forwardResult(record.key, start, state);
    else if (isNew) this.pending.add(start, record.key, record.key);
  }

  private onLate(record: StreamRecord<K, V>): void {
    this.context.count('late-records');
    if (this.config.lateChild !== undefined) {
      (this.context as unknown as ProcessorContext<K, V>).forward(record, this.config.lateChild);
    }
  }

  private forwardResult(key: K, start: number, state: SlidingWindowState<Acc>): void {
    this.context.forward(
      {
        key: { key, window: { start, end: start + this.diffMs + 1 } },
        value: this.config.aggregator.result(state.acc),
        timestamp: state.maxTimestamp,
      },
      this.config.resultChild,
    );
  }

  /**
   * Final mode: emits every open window with start + D < `closeTime` (by default observed stream time
   * minus grace), and marks it emitted in the store.
   */
  private emitClosed(closeTime = this.observedStreamTime - this.graceMs): void {
    const diff = this.diffMs;
    this.pending.takeDue(
      (start) => start + diff < closeTime,
      (start, key) => {
        const state = this.store.fetch(key, start);
        if (state === undefined || state.emitted) return;
        this.forwardResult(key, start, state);
        state.emitted = true;
        this.store.put(key, state, start);
      },
    );
  }

  /** End of input: final mode emits every window still open. */
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

function copyState<Acc>(state: SlidingWindowState<Acc>): SlidingWindowState<Acc> {
  return { acc: copyAcc(state.acc), maxTimestamp: state.maxTimestamp };
}

/** Accumulators are plain data (see Aggregator), so a structured clone is a faithful copy. */
function copyAcc<Acc>(acc: Acc): Acc {
  return typeof acc === 'object' && acc !== null ? structuredClone(acc) : acc;
}
