import type { Aggregator } from './aggregator.js';
import { isCountable } from './numeric.js';

/**
 * Sums a number selected from each record; 0 for an empty group.
 *
 * Values that are not finite numbers (NaN, ±Infinity, `undefined`) are skipped, so one bad reading
 * cannot turn the whole sum into NaN.
 *
 * @example
 * ```ts
 * sum((p: Packet) => p.length)
 * ```
 */
export function sum<V>(select: (value: V) => number): Aggregator<V, number, number> {
  return {
    init: () => 0,
    add: (acc, value) => {
      const x = select(value);
      return isCountable(x) ? acc + x : acc;
    },
    merge: (a, b) => a + b,
    result: (acc) => acc,
  };
}
