/**
 * The busiest sources of the current window. With hopping windows several windows contain the
 * present; the view shows the oldest of them (the one with the most data, closing next). Only the
 * windows that can still be shown are kept, so memory is (size / advance) x sources.
 */
import type { SourceWindowStats } from '../types.js';

/** Latest eager statistics per (window, source), and the top N of the current window. */
export class TopTalkers {
  private readonly windows = new Map<number, Map<string, SourceWindowStats>>();

  constructor(
    private readonly windowMs: number,
    private readonly advanceMs: number,
  ) {}

  /** Keeps the newest figures of `stats`' source and window. */
  add(stats: SourceWindowStats): void {
    let bySource = this.windows.get(stats.windowStart);
    if (bySource === undefined) {
      bySource = new Map();
      this.windows.set(stats.windowStart, bySource);
    }
    bySource.set(stats.source, stats);
  }

  /** Start of the oldest window that contains `streamTime`. */
  currentWindowStart(streamTime: number): number {
    const newest = Math.floor(streamTime / this.advanceMs) * this.advanceMs;
    const oldest = newest - this.windowMs + this.advanceMs;
    // The earliest windows of a capture start before its first packet: show the oldest one seen.
    let first = Number.POSITIVE_INFINITY;
    for (const start of this.windows.keys()) if (start < first) first = start;
    return Math.max(oldest, Number.isFinite(first) ? first : oldest);
  }

  /** Every source's figures in the current window, unordered (dashboard: per-source stats search). */
  current(streamTime: number): SourceWindowStats[] {
    return [...(this.windows.get(this.currentWindowStart(streamTime))?.values() ?? [])];
  }

  /** The `n` sources that sent the most bytes in the current window; forgets older windows. */
  top(n: number, streamTime: number): SourceWindowStats[] {
    const start = this.currentWindowStart(streamTime);
    for (const key of this.windows.keys()) if (key < start) this.windows.delete(key);
    const current = this.windows.get(start);
    if (current === undefined) return [];
    return [...current.values()].sort((a, b) => b.bytes - a.bytes).slice(0, n);
  }
}
