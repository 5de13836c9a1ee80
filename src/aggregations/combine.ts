import type { Aggregator, AggregatorAcc, AggregatorOutput } from './aggregator.js';
import { partwiseAdd } from './partwise-add.js';
import { partwiseInit, partwiseResult } from './partwise-result.js';

/** Named aggregators over the same input, as given to {@link combine}. */
export type AggregatorParts<V> = Record<string, Aggregator<V, unknown, unknown>>;

type PartInput<A> = A extends { add(acc: never, value: infer V): unknown } ? V : never;

/** The input all parts accept: the intersection of their input types (`unknown` ones drop out). */
export type CombinedInput<P> = {
  [K in keyof P]: (value: PartInput<P[K]>) => void;
}[keyof P] extends (value: infer V) => void
  ? V
  : never;

/** The accumulator of a combined aggregator: each part's accumulator under the part's name. */
export type CombinedAcc<P> = { [K in keyof P]: AggregatorAcc<P[K]> };

/** The result of a combined aggregator: each part's result under the part's name. */
export type CombinedOutput<P> = { [K in keyof P]: AggregatorOutput<P[K]> };

/**
 * Runs several aggregators over the same records as one: the accumulator is a plain object of the
 * parts' accumulators, `merge` merges part by part, and the result is fully typed.
 *
 * The input type comes from where the aggregator is used (`.aggregate(combine({...}))` types `p`
 * below); standalone, it is the intersection of the parts' inputs, so annotate a selector.
 *
 * @example
 * ```ts
 * combine({ count: count(), bytes: sum((p: Packet) => p.len), rtt: percentiles((p: Packet) => p.rttMs) })
 * // Aggregator<Packet, ..., { count: number; bytes: number; rtt: { p50; p95; p99 } | null }>
 * ```
 */
export function combine<V, P extends AggregatorParts<V>>(
  parts: P,
): Aggregator<unknown extends V ? CombinedInput<P> : V, CombinedAcc<P>, CombinedOutput<P>> {
  const names = Object.keys(parts);
  const list = names.map((name) => parts[name]!);
  type Row = Record<string, unknown>;

  // add (once per record and window) and result (once per emitted update) are unrolled per part.
  const combined: Aggregator<V, Row, Row> = {
    init: partwiseInit(names, list),
    add: partwiseAdd(names, list),
    merge: (a, b) => {
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        a[name] = list[i]!.merge(a[name], b[name]);
      }
      return a;
    },
    result: partwiseResult(names, list),
  };
  // The row types above are the mapped types of the signature, one key per part.
  return combined as unknown as Aggregator<
    unknown extends V ? CombinedInput<P> : V,
    CombinedAcc<P>,
    CombinedOutput<P>
  >;
}
