import type { Aggregator } from './aggregator.js';
import { isCountable } from './numeric.js';

/**
 * The largest number selected from the records; `null` while no finite number has been seen.
 * Non-finite values (NaN, ±Infinity, `undefined`) are skipped.
 *
 * @example
 * ```ts
 * max((p: Packet) => p.rttMs)
 * ```
 */
export function max<V>(select: (value: V) => number): Aggregator<V, number | null, number | null> {
  return {
    init: () => null,
    add: (acc, value) => {
      const x = select(value);
      return isCountable(x) && (acc === null || x > acc) ? x : acc;
    },
    merge: (a, b) => (a === null || (b !== null && b > a) ? b : a),
    result: (acc) => acc,
  };
}
