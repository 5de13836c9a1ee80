/**
 * When a run that has no natural end (live capture, a Kafka process instance) should stop:
 * SIGINT (Ctrl-C), SIGTERM (Kubernetes, systemd) or the `--duration` limit.
 */

/** A promise that resolves on the first stop reason, and a function that removes the handlers. */
export interface StopSignal {
  readonly promise: Promise<'signal' | 'duration'>;
  dispose(): void;
}

/** Waits for SIGINT/SIGTERM or `durationMs` of wall time (when given). */
export function waitForStop(durationMs: number | undefined): StopSignal {
  let onSignal: () => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'signal' | 'duration'>((resolve) => {
    onSignal = () => resolve('signal');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (durationMs !== undefined) timer = setTimeout(() => resolve('duration'), durationMs);
  });
  return {
    promise,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
    },
  };
}
