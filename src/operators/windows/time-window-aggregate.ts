import type { Processor, ProcessorContext } from '../../runtime/processor.js';
import type { StreamRecord, Windowed } from '../../runtime/record.js';
import type { WindowStore, WindowUpdater } from '../../state/store.js';
import { updateWindow } from '../../state/update-window.js';
import { IdleClose } from './idle-close.js';
import { PendingWindows } from './pending-windows.js';
import { RecentWindows } from './recent-windows.js';
import type { TimeWindowSpec } from './window-specs.js';
import type { WindowedAggregateConfig } from './windowed-aggregate-config.js';

/** Configuration of a tumbling/hopping windowed aggregation. */
export type TimeWindowAggregateConfig<V, Acc, Out> = WindowedAggregateConfig<TimeWindowSpec, V, Acc, Out>;

/**
 * Windowed aggregation over tumbling or hopping windows, with Kafka Streams' semantics: windows are
 * aligned to the epoch, start inclusive and end exclusive; a record updates every window that covers
 * it; a window closes when stream time reaches its end plus grace, and a record arriving for a closed
 * window is late: counted (`<node>.late-records`) and sent to the late-records output, never silently lost.
 *
 * Emit 'eager' forwards each window's new result on every update. Emit 'final' forwards one result per
 * window when it closes (Kafka Streams' suppress(untilWindowCloses)); in that mode the store holds open
 * windows only, so a restart emits exactly the windows that were still open.
 */
export class TimeWindowAggregateProcessor<K, V, Acc, Out> implements Processor<K, V, Windowed<K>, Out> {
  private context!: ProcessorContext<Windowed<K>, Out>;
  private store!: WindowStore<K, Acc>;
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  private idle: IdleClose | undefined;
  /** Final mode: open windows by start. */
  private readonly pending = new PendingWindows<K, K>();
  private readonly sizeMs: number;
  private readonly advanceMs: number;
  private readonly graceMs: number;
  /** Window objects of recent starts, shared by the results of all keys. */
  private readonly windows: RecentWindows;
  /** The record `process` is folding in (read by `addCurrent`), and whether that created a window. */
  private current: StreamRecord<K, V> | undefined;
  private windowCreated = false;

  constructor(private readonly config: TimeWindowAggregateConfig<V, Acc, Out>) {
    this.sizeMs = config.spec.sizeMs;
    this.advanceMs = config.spec.advanceMs;
    this.graceMs = config.spec.graceMs;
    this.windows = new RecentWindows(this.advanceMs, Math.ceil(this.sizeMs / this.advanceMs) + 1);
  }

  init(context: ProcessorContext<Windowed<K>, Out>): void {
    this.context = context;
    // Stream time restored from the task's checkpoint: records late before a restart stay late after it.
    this.observedStreamTime = context.currentStreamTime();
    this.store = context.getStateStore<WindowStore<K, Acc>>(this.config.storeName);
    if (this.config.emit === 'final') {
      // Windows still in the store were not emitted yet (final mode deletes a window once emitted).
      for (const entry of this.store.all()) this.pending.add(entry.windowStart, entry.key, entry.key);
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
    const t = record.timestamp;
    if (t > this.observedStreamTime) this.observedStreamTime = t;
    this.idle?.touch();
    const closeTime = this.observedStreamTime - this.graceMs;
    const size = this.sizeMs;
    const advance = this.advanceMs;
    const eager = this.config.emit === 'eager';
    const aggregator = this.config.aggregator;
    const store = this.store;
    this.current = record;
    let late = false;
    // Close first: windows past end + grace are emitted before this record's windows are written, so a
    // store expiring old windows on this write cannot take a window that still has to be emitted.
    if (!eager) this.emitClosed();

    // Epoch-aligned windows covering t: starts from max(0, t - size + advance) rounded down to advance, up to t.
    let start = Math.floor(Math.max(0, t - size + advance) / advance) * advance;
    for (; start <= t; start += advance) {
      const end = start + size;
      if (end <= closeTime) {
        late = true;
        continue;
      }
      this.windowCreated = false;
      const acc = updateWindow(store, record.key, start, this.addCurrent);
      if (acc === undefined) continue; // expired in the store: cannot happen with retention >= size + grace
      if (eager) {
        this.forwardResult(record.key, start, end, aggregator.result(acc), t);
      } else if (this.windowCreated) {
        this.pending.add(start, record.key, record.key);
      }
    }
    this.current = undefined;
    if (late) this.onLate(record);
  }

  /** The store updater of `process`: folds the current record into a window's accumulator. */
  private readonly addCurrent: WindowUpdater<Acc> = (previous) => {
    const record = this.current!;
    const aggregator = this.config.aggregator;
    if (previous !== undefined) return aggregator.add(previous, record.value, record.key);
    this.windowCreated = true;
    return aggregator.add(aggregator.init(), record.value, record.key);
  };

  private onLate(record: StreamRecord<K, V>): void {
    this.context.count('late-records');
    if (this.config.lateChild !== undefined) {
      (this.context as unknown as ProcessorContext<K, V>).forward(record, this.config.lateChild);
    }
  }

  private forwardResult(key: K, start: number, end: number, value: Out, timestamp: number): void {
    const window = this.windows.get(start, end);
    this.context.forward({ key: { key, window }, value, timestamp }, this.config.resultChild);
  }

  /**
   * Final mode: emits and forgets every window whose end <= `closeTime` (by default observed stream
   * time minus grace: the windows that closed).
   */
  private emitClosed(closeTime = this.observedStreamTime - this.graceMs): void {
    // Per record: one comparison when nothing is due (no callbacks built, no call into pending).
    if (this.pending.earliest + this.sizeMs > closeTime) return;
    this.closingAt = closeTime;
    this.pending.takeDue(this.isClosed, this.emitFinal);
  }

  /** End of input: final mode emits every window still open (eager mode emitted every update already). */
  endOfInput(): void {
    if (this.config.emit === 'final') this.emitClosed(Number.POSITIVE_INFINITY);
  }

  /** The close time of the `emitClosed` call in progress. */
  private closingAt = Number.NEGATIVE_INFINITY;

  private readonly isClosed = (start: number): boolean => start + this.sizeMs <= this.closingAt;

  /** Emits a closed window and removes it from the store, in one store lookup (take, then forward). */
  private readonly emitFinal = (start: number, key: K): void => {
    this.taken = undefined;
    updateWindow(this.store, key, start, this.take);
    const acc = this.taken;
    if (acc === undefined) return;
    this.taken = undefined;
    const end = start + this.sizeMs;
    this.forwardResult(key, start, end, this.config.aggregator.result(acc), end - 1);
  };

  /** The window `take` removed last. */
  private taken: Acc | undefined;

  /** A store updater that keeps the window's value and deletes it. */
  private readonly take: WindowUpdater<Acc> = (previous) => {
    this.taken = previous;
    return undefined;
  };

  /**
   * Wall-clock idle close: when no record arrived for the idle time, stream time moves on by it so
   * windows of a quiet partition still close. Records that later arrive for those windows are late.
   */
  private closeIdle(idleFor: number): void {
    if (!Number.isFinite(this.observedStreamTime)) return;
    this.observedStreamTime += idleFor;
    this.context.count('idle-advances');
    if (this.config.emit === 'final') this.emitClosed();
  }
}
