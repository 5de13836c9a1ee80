import type { Cancellable, PunctuationType } from '../processor.js';

interface Schedule {
  readonly node: string;
  readonly intervalMs: number;
  readonly type: PunctuationType;
  readonly callback: (timestamp: number) => void;
  nextDue: number;
  cancelled: boolean;
}

/**
 * A task's punctuators. Stream-time ones fire when stream time reaches their due time (the first
 * one interval after the first record); wall-clock ones when the clock does. A punctuator that
 * fell several intervals behind fires once and is rescheduled from the current time, as in Kafka Streams.
 */
export class Punctuations {
  private readonly schedules: Schedule[] = [];
  /** Earliest stream-time due time, cached so the per-record check is one comparison. */
  private nextStreamDue = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  add(
    node: string,
    intervalMs: number,
    type: PunctuationType,
    callback: (timestamp: number) => void,
    streamTime: number,
  ): Cancellable {
    if (!(intervalMs >= 1))
      throw new RangeError(`punctuation interval must be at least 1 ms, got ${intervalMs}`);
    const schedule: Schedule = {
      node,
      intervalMs,
      type,
      callback,
      nextDue:
        type === 'wall-clock'
          ? this.now() + intervalMs
          : Number.isFinite(streamTime)
            ? streamTime + intervalMs
            : Number.NaN,
      cancelled: false,
    };
    this.schedules.push(schedule);
    this.recomputeStreamDue();
    return {
      cancel: () => {
        schedule.cancelled = true;
        this.schedules.splice(this.schedules.indexOf(schedule), 1);
        this.recomputeStreamDue();
      },
    };
  }

  /**
   * Stream time at which a stream-time punctuator is due next: +Infinity when none is scheduled,
   * -Infinity when one waits for its first record. The task compares against it per record and
   * calls fireStreamTime only when it is reached.
   */
  get streamDueAt(): number {
    return Number.isNaN(this.nextStreamDue) ? Number.NEGATIVE_INFINITY : this.nextStreamDue;
  }

  /** Stream-time punctuators due at `streamTime`, each called with `(node, fire)` so the task can guard errors. */
  fireStreamTime(streamTime: number, run: (node: string, fire: () => void) => void): void {
    if (streamTime < this.nextStreamDue && !this.hasUnstarted()) return;
    this.fire('stream-time', streamTime, run);
  }

  fireWallClock(now: number, run: (node: string, fire: () => void) => void): void {
    this.fire('wall-clock', now, run);
  }

  private fire(type: PunctuationType, time: number, run: (node: string, fire: () => void) => void): void {
    for (const s of [...this.schedules]) {
      if (s.type !== type || s.cancelled) continue;
      if (Number.isNaN(s.nextDue)) {
        s.nextDue = time + s.intervalMs; // first record: start counting from here
        continue;
      }
      if (time < s.nextDue) continue;
      s.nextDue = time - ((time - s.nextDue) % s.intervalMs) + s.intervalMs;
      run(s.node, () => s.callback(time));
    }
    if (type === 'stream-time') this.recomputeStreamDue();
  }

  private hasUnstarted(): boolean {
    return Number.isNaN(this.nextStreamDue);
  }

  private recomputeStreamDue(): void {
    let due = Number.POSITIVE_INFINITY;
    for (const s of this.schedules) {
      if (s.type !== 'stream-time') continue;
      if (Number.isNaN(s.nextDue)) {
        due = Number.NaN;
        break;
      }
      if (s.nextDue < due) due = s.nextDue;
    }
    this.nextStreamDue = due;
  }
}
