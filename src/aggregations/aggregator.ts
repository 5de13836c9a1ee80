/**
 * An aggregation as a reusable value: how to start, fold a value in, merge two partial results
 * (for session windows and combined stats), and read the final result.
 *
 * Accumulators must be plain data (numbers, strings, arrays, plain objects, typed arrays), never
 * class instances: persistent stores and changelogs serialize them, and a restored accumulator
 * must work with the same functions.
 *
 * `add` and `merge` may mutate their first argument and return it: that keeps the hot path
 * free of allocations.
 */
export interface Aggregator<V, Acc, Out> {
  /** A fresh accumulator for an empty group or window. */
  init(): Acc;
  /**
   * Folds one value into the accumulator; may mutate `acc` and return it. `key` is the group's key,
   * for Kafka Streams-style aggregators that need it; most ignore it.
   */
  add(acc: Acc, value: V, key?: unknown): Acc;
  /** Combines two accumulators (session merges); may mutate `a` and return it. */
  merge(a: Acc, b: Acc): Acc;
  /** The user-facing result of an accumulator. Must not mutate it. */
  result(acc: Acc): Out;
}

/** The value type an Aggregator folds in. */
export type AggregatorInput<A> = A extends Aggregator<infer V, unknown, unknown> ? V : never;
/** The accumulator type of an Aggregator. */
export type AggregatorAcc<A> = A extends Aggregator<never, infer Acc, unknown> ? Acc : never;
/** The result type of an Aggregator. */
export type AggregatorOutput<A> = A extends Aggregator<never, unknown, infer Out> ? Out : never;
