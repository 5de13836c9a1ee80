/**
 * Ready-made aggregations on the {@link Aggregator} contract, and the `stats` namespace that groups them.
 * @packageDocumentation
 */
import { avg } from './avg.js';
import { combine } from './combine.js';
import { count } from './count.js';
import { distinctCount } from './distinct-count.js';
import { aggregator } from './fromFunctions.js';
import { max } from './max.js';
import { min } from './min.js';
import { percentiles } from './percentiles.js';
import { sum } from './sum.js';

export type { Aggregator, AggregatorAcc, AggregatorInput, AggregatorOutput } from './aggregator.js';
export { type AvgState, avg } from './avg.js';
export {
  type AggregatorParts,
  type CombinedAcc,
  type CombinedInput,
  type CombinedOutput,
  combine,
} from './combine.js';
export { count } from './count.js';
export {
  type DistinctCountOptions,
  type DistinctCountState,
  distinctCount,
  type ExactDistinctState,
  type SketchDistinctState,
} from './distinct-count.js';
export { aggregator } from './fromFunctions.js';
export { max } from './max.js';
export { min } from './min.js';
export { DEFAULT_QUANTILES, type PercentilesOptions, percentiles } from './percentiles.js';
export { type QuantileKey, type QuantileResult, quantileKey } from './quantile-keys.js';
export { sum } from './sum.js';
export type { TDigestState } from './tdigest.js';

/**
 * Every ready-made aggregation under one name, for topologies that read like a sentence:
 * `.aggregate(stats.combine({ count: stats.count(), bytes: stats.sum(p => p.len) }))`.
 */
export const stats = {
  count,
  sum,
  min,
  max,
  avg,
  distinctCount,
  percentiles,
  combine,
  aggregator,
} as const;
