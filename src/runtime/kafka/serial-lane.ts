/**
 * Runs async jobs one after another, in the order they were queued: the engine's batches, ticks and
 * commits never interleave. A failed job does not stop the ones after it; its caller sees the error.
 */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after everything queued before it; resolves or rejects as `fn` does. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => {});
    return run;
  }
}
