/**
 * Final per-window statistics from the eager ones: a suppress-until-window-closes step. It keeps the
 * latest eager row of each (source, window) in a window store and forwards it once, when stream
 * time passes the window's end plus grace.
 *
 * Why not a second, emit-final aggregation: that would fold every observation twice (five hopping
 * windows each, distinct-count hashing included); this step costs one store write per eager row
 * and holds rows that already exist. The store is changelogged on Kafka, so a restarted task still
 * emits the windows that were open.
 */
import { IdleClose } from '../../../src/operators/windows/idle-close.js';
import type { Processor, ProcessorContext } from '../../../src/runtime/processor.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import type { StoreSpec, WindowStore } from '../../../src/state/store.js';
import type { SourceWindowStats } from '../types.js';
import type { MonitorConfig } from './options.js';

/** The store spec of {@link ClosedWindowsProcessor}: retention covers a window's life plus one advance. */
export function closedWindowsStoreSpec(config: MonitorConfig): StoreSpec {
  const { sizeMs, advanceMs, graceMs } = config.window;
  return {
    name: `${config.name}-open-windows`,
    kind: 'window',
    backend: config.store,
    retentionMs: sizeMs + graceMs + advanceMs,
  };
}

/** Forwards each (source, window)'s last eager statistics row once its window has closed. */
export class ClosedWindowsProcessor implements Processor<string, SourceWindowStats> {
  private context!: ProcessorContext<string, SourceWindowStats>;
  private store!: WindowStore<string, SourceWindowStats>;
  private streamTime = Number.NEGATIVE_INFINITY;
  /** Windows starting at or before this were emitted already. */
  private closedThrough = Number.NEGATIVE_INFINITY;
  private idle: IdleClose | undefined;

  constructor(
    private readonly config: MonitorConfig,
    private readonly storeName = closedWindowsStoreSpec(config).name,
  ) {}

  init(context: ProcessorContext<string, SourceWindowStats>): void {
    this.context = context;
    this.store = context.getStateStore<WindowStore<string, SourceWindowStats>>(this.storeName);
    this.streamTime = context.currentStreamTime();
    if (this.config.idleCloseMs !== undefined) {
      this.idle = new IdleClose(
        context as ProcessorContext<unknown, unknown>,
        this.config.idleCloseMs,
        (idleFor) => {
          if (!Number.isFinite(this.streamTime)) return;
          this.streamTime += idleFor;
          this.emitClosed();
        },
      );
    }
  }

  process(record: StreamRecord<string, SourceWindowStats>): void {
    this.idle?.touch();
    if (record.timestamp > this.streamTime) this.streamTime = record.timestamp;
    this.emitClosed();
    const stats = record.value;
    // A row of an already closed window cannot come from the eager aggregation (it drops late
    // records); guard anyway so nothing is emitted twice.
    if (stats.windowStart <= this.closedThrough) return;
    this.store.put(stats.source, stats, stats.windowStart);
  }

  /** End of a replay: every window still stored is final now. */
  endOfInput(): void {
    this.emitClosed(Number.POSITIVE_INFINITY);
  }

  /**
   * Emits and forgets every stored window whose end + grace <= stream time (or, at end of input,
   * every stored window), oldest first.
   */
  private emitClosed(streamTime = this.streamTime): void {
    const { sizeMs, advanceMs, graceMs } = this.config.window;
    const lastClosable = streamTime - graceMs - sizeMs; // a window closes when start + size <= time - grace
    if (lastClosable <= this.closedThrough) return;
    // Window starts are multiples of the advance, so nothing new can close before the next multiple.
    const through = Math.floor(lastClosable / advanceMs) * advanceMs;
    if (through <= this.closedThrough) return;
    const from = Number.isFinite(this.closedThrough) ? this.closedThrough + 1 : 0;
    const due = [...this.store.fetchAll(from, through)];
    for (const entry of due) {
      this.context.forward({
        key: entry.key,
        value: entry.value,
        timestamp: entry.value.windowEnd - 1,
      });
      this.store.delete(entry.key, entry.windowStart);
    }
    // At end of input `through` is infinite: remember the last window emitted instead, so rows that
    // still come afterwards start new results rather than being taken for closed ones.
    this.closedThrough = Number.isFinite(through) ? through : (due.at(-1)?.windowStart ?? this.closedThrough);
  }
}
