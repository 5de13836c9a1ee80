/** The outcome of one timed run. */
export interface Measurement {
  /** Records the run reported processing. */
  records: number;
  /** Wall-clock time of the run in milliseconds. */
  elapsedMs: number;
  /** records / elapsed seconds. */
  recordsPerSec: number;
}

/**
 * Times `fn`, which processes some records and returns how many. Wall clock (a monotonic one), so
 * time spent waiting on a broker or the disk counts, as a user would see it.
 */
export async function measure(fn: () => number | Promise<number>): Promise<Measurement> {
  const start = process.hrtime.bigint();
  const records = await fn();
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (!(Number.isFinite(records) && records >= 0)) {
    throw new Error(`measure(fn): fn must return the number of records it processed, got ${records}`);
  }
  return { records, elapsedMs, recordsPerSec: elapsedMs > 0 ? (records * 1000) / elapsedMs : 0 };
}
