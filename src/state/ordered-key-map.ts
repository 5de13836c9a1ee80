/**
 * A Map from encoded keys to slots that can also list its keys in key order. The order is
 * computed lazily and kept until a key is added or removed, so updating an existing slot (the
 * hot path of aggregations) costs one Map lookup and no sorting.
 */
import { compareEncodedKeys, type EncodedKey } from './key-codec.js';

/** A Map<EncodedKey, T> with a cached key order (see compareEncodedKeys). */
export class OrderedKeyMap<T> {
  private readonly map = new Map<EncodedKey, T>();
  private order: EncodedKey[] | null = null;

  /** Number of keys. */
  get size(): number {
    return this.map.size;
  }

  get(key: EncodedKey): T | undefined {
    return this.map.get(key);
  }

  /** Adds or replaces; invalidates the key order only when the key is new. */
  set(key: EncodedKey, slot: T): void {
    const before = this.map.size;
    this.map.set(key, slot);
    if (this.map.size !== before) this.order = null;
  }

  /** Removes the key; returns whether it was there. */
  delete(key: EncodedKey): boolean {
    if (!this.map.delete(key)) return false;
    this.order = null;
    return true;
  }

  clear(): void {
    this.map.clear();
    this.order = null;
  }

  /** Entries in insertion order (cheap; for eviction and flushing). */
  entries(): IterableIterator<[EncodedKey, T]> {
    return this.map.entries();
  }

  /** Keys in key order. The returned array is shared: do not modify it. */
  sortedKeys(): readonly EncodedKey[] {
    if (this.order === null) this.order = [...this.map.keys()].sort(compareEncodedKeys);
    return this.order;
  }

  /** Keys with from <= key <= to, in key order (either bound may be omitted). */
  *keysBetween(from?: EncodedKey, to?: EncodedKey): Generator<EncodedKey> {
    const keys = this.sortedKeys();
    for (let i = from === undefined ? 0 : lowerBound(keys, from); i < keys.length; i++) {
      const key = keys[i]!;
      if (to !== undefined && compareEncodedKeys(key, to) > 0) return;
      yield key;
    }
  }
}

/** Index of the first element of sorted `keys` that is >= `key`. */
export function lowerBound(keys: readonly EncodedKey[], key: EncodedKey): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEncodedKeys(keys[middle]!, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
