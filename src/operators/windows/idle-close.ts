import type { ProcessorContext } from '../../runtime/processor.js';

/**
 * Wall-clock idle close for windowed operators: when no record arrived for `idleMs`, calls
 * `onIdle(idleForMs)` so the operator can move its stream time on by the idle time and close the
 * windows of a partition that went quiet. Checked by a wall-clock punctuator (at most every second).
 */
export class IdleClose {
  private lastRecordWallTime: number;

  constructor(
    private readonly context: ProcessorContext<unknown, unknown>,
    idleMs: number,
    onIdle: (idleForMs: number) => void,
  ) {
    this.lastRecordWallTime = context.currentSystemTime();
    context.schedule(Math.max(1, Math.min(idleMs, 1000)), 'wall-clock', (now) => {
      const idleFor = now - this.lastRecordWallTime;
      if (idleFor < idleMs) return;
      this.lastRecordWallTime = now;
      onIdle(idleFor);
    });
  }

  /** Call for every record: it resets the idle clock. */
  touch(): void {
    this.lastRecordWallTime = this.context.currentSystemTime();
  }
}
