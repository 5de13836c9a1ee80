/**
 * Merges a write-back cache with the disk for scans: both sides in key order, the cache wins
 * where both have a key (its `undefined` value hides a deleted entry).
 */
import { compareEncodedKeys, type EncodedKey } from './key-codec.js';

/** A cached entry as the merge sees it. */
export interface CachedSlot<K, V> {
  readonly key: K;
  readonly value: V | undefined;
}

/**
 * Entries of `cachedKeys` (looked up in `cache` when reached, so entries evicted meanwhile fall
 * back to the disk) and of `disk`, in key order, without duplicates.
 */
export function* mergeCacheAndDisk<K, V>(
  cachedKeys: readonly EncodedKey[],
  cache: { get(encoded: EncodedKey): CachedSlot<K, V> | undefined },
  disk: Iterable<readonly [EncodedKey, unknown]>,
  decode: (encoded: EncodedKey) => K,
): Generator<readonly [K, V]> {
  let next = 0;
  for (const [encoded, value] of disk) {
    while (next < cachedKeys.length && compareEncodedKeys(cachedKeys[next]!, encoded) < 0) {
      const slot = cache.get(cachedKeys[next++]!);
      if (slot !== undefined && slot.value !== undefined) yield [slot.key, slot.value];
    }
    if (next < cachedKeys.length && cachedKeys[next] === encoded) next++;
    const slot = cache.get(encoded);
    if (slot === undefined) yield [decode(encoded), value as V];
    else if (slot.value !== undefined) yield [slot.key, slot.value];
  }
  while (next < cachedKeys.length) {
    const slot = cache.get(cachedKeys[next++]!);
    if (slot !== undefined && slot.value !== undefined) yield [slot.key, slot.value];
  }
}
