/**
 * Merges iterables that are each sorted by `compare` into one sorted sequence, lazily: it holds
 * one pending item per source, so memory stays bounded by the number of sources (local tasks).
 */
export function* mergeSorted<T>(
  sources: readonly Iterable<T>[],
  compare: (a: T, b: T) => number,
): Generator<T> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iterators = sources.map((s) => s[Symbol.iterator]());
  const heads: (IteratorResult<T> | undefined)[] = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head === undefined || head.done) continue;
      if (best < 0 || compare(head.value, (heads[best] as IteratorYieldResult<T>).value) < 0) best = i;
    }
    if (best < 0) return;
    yield (heads[best] as IteratorYieldResult<T>).value;
    heads[best] = iterators[best]!.next();
  }
}
