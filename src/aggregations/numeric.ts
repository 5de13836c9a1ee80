/**
 * Whether a selected value takes part in a numeric aggregation (sum, min, max, avg, percentiles).
 *
 * Only finite numbers count. NaN, ±Infinity and non-numbers (a selector reading a missing field of
 * loosely typed input yields `undefined`) are skipped: one bad reading must not turn a whole window's
 * sum or average into NaN, and a skipped value is not counted by `avg` either.
 */
export function isCountable(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
