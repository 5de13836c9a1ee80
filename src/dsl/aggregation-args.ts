import type { Aggregator } from '../aggregations/aggregator.js';

/** Options shared by count/reduce/aggregate. */
export interface AggregateOptions {
  /** Node name; the store is "<name>-store" unless `storeName` is given. */
  name?: string;
  storeName?: string;
  /** Store backend: 'memory' (default) or 'persistent' (on disk under the app's stateDir). */
  store?: 'memory' | 'persistent';
}

/** A count as an Aggregator (accumulator: a number). */
export function countAggregator<V>(): Aggregator<V, number, number> {
  return { init: () => 0, add: (acc) => acc + 1, merge: (a, b) => a + b, result: (acc) => acc };
}

/** A reducer as an Aggregator; the accumulator starts as null until the first value. */
export function reduceAggregator<V>(reducer: (aggregate: V, value: V) => V): Aggregator<V, V | null, V> {
  return {
    init: () => null,
    add: (acc, value) => (acc === null ? value : reducer(acc, value)),
    merge: (a, b) => (a === null ? b : b === null ? a : reducer(a, b)),
    result: (acc) => acc as V,
  };
}

/** Kafka Streams-style initializer + adder (+ merger for sessions) as an Aggregator. */
export function functionAggregator<K, V, A>(
  initializer: () => A,
  adder: (key: K, value: V, aggregate: A) => A,
  merger?: (key: K, a: A, b: A) => A,
): Aggregator<V, A, A> {
  return {
    init: initializer,
    add: (acc, value, key) => adder(key as K, value, acc),
    merge: (a, b) => {
      if (!merger)
        throw new Error(
          'this aggregation has no merger; session windows need aggregate(init, adder, merger)',
        );
      return merger(undefined as K, a, b);
    },
    result: (acc) => acc,
  };
}

/**
 * Normalizes the two call shapes of aggregate(): an Aggregator object, or initializer + adder
 * (+ merger). Returns the Aggregator and the options argument.
 */
export function toAggregator<K, V>(
  args: readonly unknown[],
): { aggregator: Aggregator<V, unknown, unknown>; options: AggregateOptions } {
  const [first, second, third, fourth] = args;
  if (typeof first === 'function') {
    if (typeof second !== 'function')
      throw new TypeError('aggregate(initializer, adder): the adder must be a function');
    const merger =
      typeof third === 'function' ? (third as (k: K, a: unknown, b: unknown) => unknown) : undefined;
    const options = (merger ? fourth : third) as AggregateOptions | undefined;
    return {
      aggregator: functionAggregator<K, V, unknown>(
        first as () => unknown,
        second as (k: K, v: V, a: unknown) => unknown,
        merger,
      ) as Aggregator<V, unknown, unknown>,
      options: options ?? {},
    };
  }
  if (!isAggregator(first)) {
    throw new TypeError(
      'aggregate() takes an Aggregator (e.g. stats.combine({...})) or initializer and adder functions',
    );
  }
  return {
    aggregator: first as Aggregator<V, unknown, unknown>,
    options: (second as AggregateOptions) ?? {},
  };
}

function isAggregator(value: unknown): boolean {
  const a = value as Partial<Aggregator<unknown, unknown, unknown>> | null;
  return typeof a?.init === 'function' && typeof a.add === 'function' && typeof a.result === 'function';
}
