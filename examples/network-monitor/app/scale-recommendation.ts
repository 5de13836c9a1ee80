/**
 * How many processing instances the backlog calls for: the autoscaling trigger of the source
 * write-up. Enough instances to drain the current consumer lag within `targetDrainSeconds` at the
 * measured per-instance throughput, never fewer than 1 nor more than the input partitions (an
 * instance beyond one per partition would sit idle).
 */

/** Inputs of {@link recommendInstances}. */
export interface ScaleInputs {
  /** Records behind the end of the input partitions. */
  readonly lag: number;
  /** Records one instance processes per second while it has work (measured). */
  readonly perInstanceRecordsPerSecond: number;
  /** Partitions of the input topic: the most instances that can share the work. */
  readonly partitions: number;
  /** How quickly a backlog should be gone. Default 60 s. */
  readonly targetDrainSeconds?: number;
}

/** ceil(lag / (throughput x drain seconds)), clamped to [1, partitions]. */
export function recommendInstances(inputs: ScaleInputs): number {
  const partitions = Math.max(1, Math.floor(inputs.partitions));
  const drain = inputs.targetDrainSeconds ?? 60;
  if (inputs.lag <= 0) return 1;
  // No measured throughput yet while records wait: ask for everything the topic allows.
  if (!(inputs.perInstanceRecordsPerSecond > 0)) return partitions;
  const wanted = Math.ceil(inputs.lag / (inputs.perInstanceRecordsPerSecond * drain));
  return Math.min(partitions, Math.max(1, wanted));
}
