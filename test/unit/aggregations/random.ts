/** A seeded pseudo-random generator (splitmix32) so that accuracy tests see the same data every run. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  };
}

/** Approximately standard normal values (Irwin–Hall sum of 12 uniforms, minus 6). */
export function normal(random: () => number): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += random();
  return sum - 6;
}

/**
 * How far quantile q is from the ranks `value` holds in `sorted`: 0 when a q-quantile of the data
 * equals `value` (q inside the block of values equal to it, or the gap where it would go).
 */
export function rankError(sorted: readonly number[], value: number, q: number): number {
  const below = lowerBound(sorted, value) / sorted.length;
  let upTo = lowerBound(sorted, value);
  while (upTo < sorted.length && sorted[upTo] === value) upTo++;
  const through = upTo / sorted.length;
  return q < below ? below - q : q > through ? q - through : 0;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Feeds every value through an aggregator's add, returning the final accumulator. */
export function fold<V, Acc>(agg: { init(): Acc; add(acc: Acc, value: V): Acc }, values: Iterable<V>): Acc {
  let acc = agg.init();
  for (const value of values) acc = agg.add(acc, value);
  return acc;
}
