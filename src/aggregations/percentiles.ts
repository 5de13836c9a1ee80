import { TributaryError } from '../runtime/errors.js';
import type { Aggregator } from './aggregator.js';
import { isCountable } from './numeric.js';
import { type QuantileResult, quantileKey } from './quantile-keys.js';
import {
  addValue,
  createTDigest,
  DEFAULT_COMPRESSION,
  estimateQuantiles,
  MAX_COMPRESSION,
  MIN_COMPRESSION,
  mergeDigests,
  type TDigestState,
} from './tdigest.js';

/** Options of {@link percentiles}. */
export interface PercentilesOptions {
  /** The t-digest compression δ (10..10000): about δ centroids, more is more accurate. Default 100. */
  compression?: number;
}

/** The quantiles {@link percentiles} reports when given none: median, p95 and p99. */
export const DEFAULT_QUANTILES = [0.5, 0.95, 0.99] as const;

/**
 * Estimated percentiles of a number selected from the records, from a t-digest (see tdigest.ts).
 * The result has one key per quantile, typed from the list: `[0.5, 0.99]` gives `{ p50, p99 }`,
 * 0.999 gives `p99_9`. `null` while no finite number has been seen; non-finite values are skipped.
 * Percentiles lie between the smallest and largest value seen; the median's rank error is typically
 * well under 1 % at the default compression, and smaller at the tails.
 *
 * @example
 * ```ts
 * percentiles((p: Packet) => p.rttMs, [0.5, 0.99, 0.999]) // { p50, p99, p99_9 } | null
 * ```
 */
export function percentiles<V>(
  select: (value: V) => number,
): Aggregator<V, TDigestState, QuantileResult<typeof DEFAULT_QUANTILES> | null>;
/** As above, with the quantiles to report (each in [0, 1]). */
export function percentiles<V, const Qs extends readonly number[]>(
  select: (value: V) => number,
  quantiles: Qs,
  options?: PercentilesOptions,
): Aggregator<V, TDigestState, QuantileResult<Qs> | null>;
export function percentiles<V>(
  select: (value: V) => number,
  quantiles: readonly number[] = DEFAULT_QUANTILES,
  options: PercentilesOptions = {},
): Aggregator<V, TDigestState, Record<string, number> | null> {
  const compression = options.compression ?? DEFAULT_COMPRESSION;
  if (!(compression >= MIN_COMPRESSION && compression <= MAX_COMPRESSION)) {
    throw new TributaryError(
      `percentiles: compression must be between ${MIN_COMPRESSION} and ${MAX_COMPRESSION}, got ${compression}. ` +
        `${DEFAULT_COMPRESSION} suits most uses.`,
    );
  }
  if (quantiles.length === 0) {
    throw new TributaryError('percentiles: the list of quantiles is empty; pass e.g. [0.5, 0.95, 0.99].');
  }
  const qs = [...quantiles];
  const keys = qs.map(quantileKey);
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) {
    throw new TributaryError(
      `percentiles: the quantile list ${JSON.stringify(qs)} names ${duplicate} twice.`,
    );
  }
  const estimates: number[] = new Array<number>(qs.length).fill(0);

  return {
    init: () => createTDigest(compression),
    add: (acc, value) => {
      const x = select(value);
      if (isCountable(x)) addValue(acc, x);
      return acc;
    },
    merge: (a, b) => {
      mergeDigests(a, b);
      return a;
    },
    result: (acc) => {
      if (!estimateQuantiles(acc, qs, estimates)) return null;
      const out: Record<string, number> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i] as string] = estimates[i] as number;
      return out;
    },
  };
}
