import type { Aggregator } from './aggregator.js';
import { isCountable } from './numeric.js';

/** The accumulator of {@link avg}: the sum and the number of values that went into it. */
export interface AvgState {
  sum: number;
  count: number;
}

/**
 * The arithmetic mean of a number selected from the records; `null` while no finite number has been
 * seen. Non-finite values (NaN, ±Infinity, `undefined`) are skipped and not counted.
 *
 * @example
 * ```ts
 * avg((p: Packet) => p.rttMs)
 * ```
 */
export function avg<V>(select: (value: V) => number): Aggregator<V, AvgState, number | null> {
  return {
    init: () => ({ sum: 0, count: 0 }),
    add: (acc, value) => {
      const x = select(value);
      if (isCountable(x)) {
        acc.sum += x;
        acc.count += 1;
      }
      return acc;
    },
    merge: (a, b) => {
      a.sum += b.sum;
      a.count += b.count;
      return a;
    },
    result: (acc) => (acc.count === 0 ? null : acc.sum / acc.count),
  };
}
