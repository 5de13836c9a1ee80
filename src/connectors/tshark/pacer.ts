/**
 * Replays packets at the pace they were recorded: packet i is due `(t_i - t_0) / speed` after the
 * first one was handed over. The schedule is absolute, so a consumer that stalls for a while gets
 * the packets that fell due meanwhile at once, and the replay then keeps the recorded timeline.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Computes how long to hold each packet back. */
export class Pacer {
  private originMicros: number | undefined;
  private originWallMs = 0;

  constructor(
    private readonly speed: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds to wait before handing over a packet captured at `timestampMicros` (0: now). */
  delayMs(timestampMicros: number): number {
    if (this.originMicros === undefined) {
      this.originMicros = timestampMicros;
      this.originWallMs = this.now();
      return 0;
    }
    const due = this.originWallMs + (timestampMicros - this.originMicros) / 1000 / this.speed;
    const delay = due - this.now();
    return delay >= 1 ? delay : 0;
  }
}

/** Sleeps `ms`, or less if `signal` aborts first; resolves to false when aborted. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
