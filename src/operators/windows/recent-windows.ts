import type { TimeWindow } from '../../runtime/record.js';

/**
 * The TimeWindow objects of the most recent window starts, so that the results of every key in one
 * window share a single (read-only) window object instead of allocating one per result. Starts are
 * multiples of `advanceMs`; each has a slot in a ring of `slots` entries, replaced when a newer
 * start takes it.
 */
export class RecentWindows {
  private readonly ring: (TimeWindow | undefined)[];

  constructor(
    private readonly advanceMs: number,
    slots: number,
  ) {
    this.ring = new Array<TimeWindow | undefined>(Math.max(1, slots)).fill(undefined);
  }

  /** The window [start, end): the shared object when it is recent, else a new one kept for next time. */
  get(start: number, end: number): TimeWindow {
    const slot = Math.floor(start / this.advanceMs) % this.ring.length;
    const known = this.ring[slot];
    if (known !== undefined && known.start === start && known.end === end) return known;
    const window: TimeWindow = { start, end };
    this.ring[slot] = window;
    return window;
  }
}
