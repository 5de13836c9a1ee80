import type { Aggregator } from './aggregator.js';

type Row = Record<string, unknown>;
type Part<V> = Aggregator<V, unknown, unknown>;

/**
 * The `add` of a combined aggregator: folds the value into every part's accumulator, `acc[name]`.
 *
 * Unrolled for the first six parts instead of one loop: in a loop, a single property access and a
 * single call site see every part's name and function, go megamorphic, and the combined add ran
 * about 8× slower than the parts added by hand. Here each part has its own sites. Parts past the
 * sixth fall back to the loop.
 */
export function partwiseAdd<V>(
  names: readonly string[],
  parts: readonly Part<V>[],
): (acc: Row, value: V, key?: unknown) => Row {
  const size = names.length;
  const [n0 = '', n1 = '', n2 = '', n3 = '', n4 = '', n5 = ''] = names;
  const [p0, p1, p2, p3, p4, p5] = parts as (Part<V> | undefined)[];
  return (acc, value, key) => {
    if (size === 0) return acc;
    acc[n0] = p0!.add(acc[n0], value, key);
    if (size === 1) return acc;
    acc[n1] = p1!.add(acc[n1], value, key);
    if (size === 2) return acc;
    acc[n2] = p2!.add(acc[n2], value, key);
    if (size === 3) return acc;
    acc[n3] = p3!.add(acc[n3], value, key);
    if (size === 4) return acc;
    acc[n4] = p4!.add(acc[n4], value, key);
    if (size === 5) return acc;
    acc[n5] = p5!.add(acc[n5], value, key);
    for (let i = 6; i < size; i++) {
      const name = names[i]!;
      acc[name] = parts[i]!.add(acc[name], value, key);
    }
    return acc;
  };
}
