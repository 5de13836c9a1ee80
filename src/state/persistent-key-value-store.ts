/**
 * Persistent KeyValueStore on LMDB with a write-back cache. Reads hit the cache or read the
 * disk synchronously (and cache what they read, absence included); writes go to the cache and
 * reach the disk in one transaction per flush.
 */
import type { KeyValue } from '../runtime/record.js';
import { mergeCacheAndDisk } from './cache-merge.js';
import { assertKeyFitsOnDisk } from './disk-key.js';
import { compareEncodedKeys, defaultKeyCodec, type EncodedKey } from './key-codec.js';
import type { DiskWriter } from './lmdb-database.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import { PersistentStore, type PersistentStoreOptions } from './persistent-store.js';
import type { KeyCodec, KeyValueStore } from './store.js';

const TABLE = 'entries';

/** A cached entry; `value === undefined` means absent (a tombstone when dirty). */
interface CachedValue<K, V> {
  readonly key: K;
  value: V | undefined;
  dirty: boolean;
}

/**
 * A KeyValueStore on disk under `directory`. Values must be plain data (numbers, strings,
 * booleans, null, arrays, plain objects, typed arrays); reads return the cached object until it
 * is evicted, then a fresh copy from disk, so always `put` a value after changing it.
 */
export class PersistentKeyValueStore<K, V> extends PersistentStore implements KeyValueStore<K, V> {
  private readonly cache = new OrderedKeyMap<CachedValue<K, V>>();
  private dirtyCount = 0;
  /** Entries on disk as of the last flush; counted again only when asked for. */
  private diskEntries: number | undefined;

  constructor(
    name: string,
    directory: string,
    private readonly codec: KeyCodec<K> = defaultKeyCodec<K>(),
    options: PersistentStoreOptions = {},
  ) {
    super(name, directory, [TABLE], options);
  }

  get(key: K): V | undefined {
    return this.slot(key, this.codec.encode(key)).value;
  }

  put(key: K, value: V): void {
    this.assertOpen();
    const encoded = this.codec.encode(key);
    assertKeyFitsOnDisk(encoded, 0);
    this.set(key, encoded, value);
  }

  putIfAbsent(key: K, value: V): V {
    const encoded = this.codec.encode(key);
    const slot = this.slot(key, encoded);
    if (slot.value !== undefined) return slot.value;
    assertKeyFitsOnDisk(encoded, 0);
    this.set(key, encoded, value);
    return value;
  }

  delete(key: K): V | undefined {
    const encoded = this.codec.encode(key);
    const old = this.slot(key, encoded).value;
    if (old !== undefined) this.set(key, encoded, undefined);
    return old;
  }

  range(from: K, to: K): Iterable<KeyValue<K, V>> {
    return this.entriesBetween(this.codec.encode(from), this.codec.encode(to));
  }

  all(): Iterable<KeyValue<K, V>> {
    return this.entriesBetween(undefined, undefined);
  }

  /** Entries on disk at the last flush, adjusted by the unflushed puts and deletes. */
  approximateNumEntries(): number {
    let delta = 0;
    for (const [, slot] of this.cache.entries()) if (slot.dirty) delta += slot.value === undefined ? -1 : 1;
    this.assertOpen();
    this.diskEntries ??= this.db.count(TABLE);
    return Math.max(0, this.diskEntries + delta);
  }

  /** Cache and disk merged in key order; cached entries win. */
  private *entriesBetween(
    from: EncodedKey | undefined,
    to: EncodedKey | undefined,
  ): Generator<KeyValue<K, V>> {
    this.assertOpen();
    const cachedKeys = [...this.cache.keysBetween(from, to)];
    const disk = this.diskBetween(from, to);
    for (const [key, value] of mergeCacheAndDisk(cachedKeys, this.cache, disk, (encoded) =>
      this.codec.decode(encoded),
    )) {
      yield { key, value };
    }
  }

  private *diskBetween(from: EncodedKey | undefined, to: EncodedKey | undefined) {
    for (const { key, value } of this.db.entries(TABLE, { start: from === undefined ? undefined : [from] })) {
      const encoded = key[0]!;
      if (to !== undefined && compareEncodedKeys(encoded, to) > 0) return;
      yield [encoded, value] as const;
    }
  }

  /** The cached slot of `key`, reading the disk on a miss. */
  private slot(key: K, encoded: EncodedKey): CachedValue<K, V> {
    this.assertOpen();
    let slot = this.cache.get(encoded);
    if (slot === undefined) {
      slot = { key, value: this.db.get(TABLE, [encoded]) as V | undefined, dirty: false };
      this.cache.set(encoded, slot);
      this.noteCached(1);
    }
    return slot;
  }

  private set(key: K, encoded: EncodedKey, value: V | undefined): void {
    const slot = this.cache.get(encoded);
    if (slot === undefined) {
      this.cache.set(encoded, { key, value, dirty: true });
      this.dirtyCount++;
      this.noteCached(1);
      return;
    }
    slot.value = value;
    if (!slot.dirty) {
      slot.dirty = true;
      this.dirtyCount++;
    }
  }

  protected hasChanges(): boolean {
    return this.dirtyCount > 0;
  }

  protected writeChanges(writer: DiskWriter): void {
    for (const [encoded, slot] of this.cache.entries()) {
      if (!slot.dirty) continue;
      if (slot.value === undefined) writer.remove(TABLE, [encoded]);
      else writer.put(TABLE, [encoded], slot.value);
    }
  }

  protected changesWritten(): void {
    for (const [, slot] of this.cache.entries()) slot.dirty = false;
    this.dirtyCount = 0;
    this.diskEntries = undefined;
  }

  protected evictClean(target: number): void {
    for (const [encoded, slot] of this.cache.entries()) {
      if (this.cached <= target) return;
      if (slot.dirty) continue;
      this.cache.delete(encoded);
      this.cached--;
    }
  }

  protected clearCache(): void {
    this.cache.clear();
    this.dirtyCount = 0;
  }
}
