import type { Aggregator } from './aggregator.js';

/**
 * Counts the records of a group or window.
 *
 * @example
 * ```ts
 * stream.groupBy(p => p.srcIp).windowedBy(...).aggregate(count());
 * ```
 */
export function count<V = unknown>(): Aggregator<V, number, number> {
  return {
    init: () => 0,
    add: (acc) => acc + 1,
    merge: (a, b) => a + b,
    result: (acc) => acc,
  };
}
