import type { Processor, ProcessorContext } from '../runtime/processor.js';
import type { StreamRecord } from '../runtime/record.js';
import type { StateStore, WindowStore } from '../state/store.js';
import type { JoinWindowSpec } from './windows/window-specs.js';
import { WindowStartIndex } from './windows/window-start-index.js';

/** Configuration of one side of a windowed stream-stream join (the DSL makes one per side). */
export interface StreamStreamJoinConfig<K, V, VO, VR> {
  window: JoinWindowSpec;
  /** Window store buffering this side's records. */
  thisStore: string;
  /** Window store buffering the other side's records. */
  otherStore: string;
  /** Called with this side's value first; the DSL swaps the arguments for the 'other' side. */
  joiner: (value: V, otherValue: VO | undefined, key: K) => VR;
  /** 'this' is the stream join()/leftJoin() was called on; 'other' is its argument. */
  side: 'this' | 'other';
  mode: 'inner' | 'left';
}

/**
 * One buffered record. On the 'this' side of a left join, `status` says whether the record found a
 * partner ('matched') or was emitted alone when its window closed ('emitted'); absent, it waits.
 */
export interface BufferedJoinRecord<V> {
  readonly value: V;
  status?: 'matched' | 'emitted';
}

/** A 'this' record of a left join still waiting for a partner: where it is in the store. */
interface WaitingRecord<K> {
  readonly key: K;
  readonly timestamp: number;
  /** Position in the (key, timestamp) bucket, which only ever grows. */
  readonly index: number;
}

/**
 * What the two sides of one join share within a task: the join's stream time (the largest
 * timestamp either side has seen) and, for a left join, the 'this' records waiting for a partner
 * with the way to emit them, so either side can close their windows as it moves time on.
 */
interface SharedJoinState {
  streamTime: number;
  emitUnmatched: ((forward: (record: StreamRecord<unknown, unknown>) => void) => void) | undefined;
}

/** Keyed by the 'this' side's store instance, which both sides of one join (and one task) hold. */
const sharedStates = new WeakMap<StateStore, SharedJoinState>();

/** Each buffer store's per-key index of record times, shared by the side that writes it and the side that reads it. */
const startIndexes = new WeakMap<StateStore, WindowStartIndex<unknown>>();

function startIndexOf<K>(store: WindowStore<K, unknown>): WindowStartIndex<K> {
  let index = startIndexes.get(store) as WindowStartIndex<K> | undefined;
  if (index === undefined) {
    index = WindowStartIndex.fromStore(store);
    startIndexes.set(store, index as WindowStartIndex<unknown>);
  }
  return index;
}

/**
 * One side of a windowed stream-stream join, with Kafka Streams' semantics. Each side buffers its
 * records in its own window store (several per key and timestamp are kept: the store holds an array
 * per (key, t)), and looks up the other side's store: a 'this' record at t meets the 'other'
 * records in [t - before, t + after], an 'other' record at t the 'this' records in
 * [t - after, t + before]. Each match is emitted at once, timestamped with the later of the two.
 *
 * Time is the join's own stream time, shared by both sides. A record's window closes when that
 * stream time passes t + after + grace ('this' side) or t + before + grace ('other' side); a
 * record arriving after its window closed is late: counted (`<node>.late-records`) and dropped.
 * Records with a null or undefined key are skipped and counted (`<node>.null-key-records`).
 *
 * Left join (Kafka Streams >= 3.1, no spurious results): a 'this' record without a match is held
 * back, and emitted with `undefined` as the other value only once its window has closed and no
 * match came; a match arriving before then suppresses it. Whether a 'this' record matched or was
 * emitted alone is kept with it in the store, so a restart neither loses nor repeats those
 * results. An 'other' record never meets a 'this' record that was already emitted alone, so each
 * 'this' record yields either its matches or one unmatched result. The 'other' side never emits
 * unmatched records.
 */
export class StreamStreamJoinProcessor<K, V, VO, VR> implements Processor<K, V, K, VR> {
  private context!: ProcessorContext<K, VR>;
  private ownStore!: WindowStore<K, BufferedJoinRecord<V>[]>;
  private partnerStore!: WindowStore<K, BufferedJoinRecord<VO>[]>;
  /** Record times per key in each store (window stores list by time across keys; see WindowStartIndex). */
  private ownTimes!: WindowStartIndex<K>;
  private partnerTimes!: WindowStartIndex<K>;
  private shared!: SharedJoinState;
  /** Left join, 'this' side: waiting records in timestamp order, from `waitingHead` on. */
  private waiting: WaitingRecord<K>[] = [];
  private waitingHead = 0;
  /** Partner record times for the record being processed (reused from record to record). */
  private readonly partnerTimesInRange: number[] = [];
  /** How far this side's window reaches past a record's time, and how far back it looks. */
  private readonly afterMs: number;
  private readonly beforeMs: number;
  private readonly graceMs: number;
  /** Left join: this side tracks unmatched records (the 'this' side) or marks partners as matched. */
  private readonly tracksUnmatched: boolean;
  private readonly marksPartners: boolean;
  private readonly forwardResult = (record: StreamRecord<unknown, unknown>): void => {
    this.context.forward(record as StreamRecord<K, VR>);
  };

  constructor(private readonly config: StreamStreamJoinConfig<K, V, VO, VR>) {
    const { window, side, mode } = config;
    this.afterMs = side === 'this' ? window.afterMs : window.beforeMs;
    this.beforeMs = side === 'this' ? window.beforeMs : window.afterMs;
    this.graceMs = window.graceMs;
    this.tracksUnmatched = mode === 'left' && side === 'this';
    this.marksPartners = mode === 'left' && side === 'other';
  }

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
    this.ownStore = context.getStateStore<WindowStore<K, BufferedJoinRecord<V>[]>>(this.config.thisStore);
    this.partnerStore = context.getStateStore<WindowStore<K, BufferedJoinRecord<VO>[]>>(
      this.config.otherStore,
    );
    this.ownTimes = startIndexOf(this.ownStore);
    this.partnerTimes = startIndexOf(this.partnerStore);
    const anchor = this.config.side === 'this' ? this.ownStore : this.partnerStore;
    let shared = sharedStates.get(anchor);
    if (shared === undefined) {
      shared = { streamTime: context.currentStreamTime(), emitUnmatched: undefined };
      sharedStates.set(anchor, shared);
    }
    this.shared = shared;
    if (this.tracksUnmatched) {
      // Records still waiting before a restart wait again; matched and emitted ones are done.
      for (const { key, windowStart, value: bucket } of this.ownStore.all()) {
        for (let i = 0; i < bucket.length; i++) {
          if (bucket[i]!.status === undefined) this.waiting.push({ key, timestamp: windowStart, index: i });
        }
      }
      shared.emitUnmatched = (forward) => this.emitUnmatched(forward);
    }
  }

  process(record: StreamRecord<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.count('null-key-records');
      return;
    }
    const t = record.timestamp;
    const shared = this.shared;
    if (t > shared.streamTime) shared.streamTime = t;
    // Emit before writing: a write can expire old records from the store.
    shared.emitUnmatched?.(this.forwardResult);
    if (t + this.afterMs + this.graceMs < shared.streamTime) {
      this.context.count('late-records');
      return;
    }

    const times = this.partnerTimesInRange;
    times.length = 0;
    this.partnerTimes.startsBetween(key, t - this.beforeMs, t + this.afterMs, times);
    let matched = false;
    for (let i = 0; i < times.length; i++) {
      const partnerTime = times[i]!;
      const bucket = this.partnerStore.fetch(key, partnerTime);
      if (bucket === undefined) continue;
      let marked = false;
      for (let j = 0; j < bucket.length; j++) {
        const partner = bucket[j]!;
        if (this.marksPartners) {
          if (partner.status === 'emitted') continue;
          if (partner.status === undefined) {
            partner.status = 'matched';
            marked = true;
          }
        }
        matched = true;
        this.context.forward({
          key,
          value: this.config.joiner(record.value, partner.value, key),
          timestamp: Math.max(partnerTime, t),
          headers: record.headers,
        });
      }
      if (marked) this.partnerStore.put(key, bucket, partnerTime);
    }
    this.buffer(key, record.value, t, matched);
  }

  /** End of input: a left join emits every 'this' record still waiting for a partner, unmatched. */
  endOfInput(): void {
    if (this.tracksUnmatched) this.emitUnmatched(this.forwardResult, Number.POSITIVE_INFINITY);
  }

  /** Adds the record to this side's store; an unmatched left-join 'this' record starts waiting. */
  private buffer(key: K, value: V, t: number, matched: boolean): void {
    const existing = this.ownStore.fetch(key, t);
    const bucket = existing ?? [];
    const entry: BufferedJoinRecord<V> = { value };
    const waits = this.tracksUnmatched && !matched;
    if (this.tracksUnmatched && matched) entry.status = 'matched';
    bucket.push(entry);
    this.ownStore.put(key, bucket, t);
    if (existing === undefined) this.ownTimes.add(key, t);
    if (waits) insertWaiting(this.waiting, { key, timestamp: t, index: bucket.length - 1 });
  }

  /**
   * Left join, 'this' side: emits, with `undefined` as the other value, every waiting record whose
   * window has closed (`streamTime` > t + after + grace) without a match, and marks it emitted.
   */
  private emitUnmatched(
    forward: (record: StreamRecord<unknown, unknown>) => void,
    streamTime = this.shared.streamTime,
  ): void {
    const waiting = this.waiting;
    const reach = this.afterMs + this.graceMs;
    let head = this.waitingHead;
    while (head < waiting.length && waiting[head]!.timestamp + reach < streamTime) {
      const { key, timestamp, index } = waiting[head++]!;
      const bucket = this.ownStore.fetch(key, timestamp);
      const entry = bucket?.[index];
      if (bucket === undefined || entry === undefined || entry.status !== undefined) continue;
      entry.status = 'emitted';
      this.ownStore.put(key, bucket, timestamp);
      forward({ key, value: this.config.joiner(entry.value, undefined, key), timestamp });
    }
    // Drop the consumed prefix now and then rather than shifting on every record.
    if (head > 1024 && head * 2 > waiting.length) {
      this.waiting = waiting.slice(head);
      head = 0;
    }
    this.waitingHead = head;
  }
}

/** Inserts in timestamp order; records mostly arrive in order, so the search starts at the end. */
function insertWaiting<K>(waiting: WaitingRecord<K>[], record: WaitingRecord<K>): void {
  let at = waiting.length;
  while (at > 0 && waiting[at - 1]!.timestamp > record.timestamp) at--;
  if (at === waiting.length) waiting.push(record);
  else waiting.splice(at, 0, record);
}
