/**
 * A window store on rocksdb-native for bench/stores.ts only: the same WindowCache and disk-key
 * layout as PersistentWindowStore, but rocksdb-native has no synchronous read, so a cache miss
 * returns a Promise (the caller must await it) and a write-through on a full cache is async too.
 * That is why it cannot back the synchronous WindowStore interface.
 */
import { Packr } from 'msgpackr';
import RocksDB from 'rocksdb-native';
import { diskKeyBuffer, nextDoubleUp } from '../src/state/disk-key.js';
import { defaultKeyCodec } from '../src/state/key-codec.js';
import { WindowCache } from '../src/state/window-cache.js';

const codec = defaultKeyCodec<string>();

/** Window store over RocksDB with a bounded write-back cache. */
export class RocksWindowStore<V> {
  private readonly db: RocksDB;
  private readonly cache = new WindowCache<string, V>();
  private readonly packr = new Packr({ moreTypes: true, useRecords: false });
  private readonly diskStarts = new Set<number>();
  private newestStart = Number.NEGATIVE_INFINITY;
  private expiryDue = false;

  constructor(
    path: string,
    private readonly retentionMs: number,
    private readonly cacheMaxEntries: number,
  ) {
    this.db = new RocksDB(path);
  }

  ready(): Promise<void> {
    return this.db.ready();
  }

  /** The value, or a Promise of it when the disk must be read. */
  fetch(key: string, windowStart: number): V | undefined | Promise<V | undefined> {
    if (windowStart <= this.newestStart - this.retentionMs) return undefined;
    const encoded = codec.encode(key);
    const slot = this.cache.get(windowStart, encoded);
    if (slot !== undefined) return slot.value;
    if (!this.diskStarts.has(windowStart)) return undefined;
    return this.db.get(diskKeyBuffer([windowStart, encoded])).then((bytes) => {
      const value = bytes === null ? undefined : (this.packr.unpack(bytes) as V);
      this.cache.set(windowStart, encoded, key, value, false);
      return value;
    });
  }

  /** Puts; returns a Promise when the cache overflowed and dirty entries had to be written. */
  put(key: string, value: V, windowStart: number): undefined | Promise<void> {
    if (windowStart > this.newestStart) {
      this.newestStart = windowStart;
      this.cache.dropThrough(windowStart - this.retentionMs);
      this.expiryDue = true;
    } else if (windowStart <= this.newestStart - this.retentionMs) {
      return undefined;
    }
    this.cache.set(windowStart, codec.encode(key), key, value, true);
    if (this.cache.size <= this.cacheMaxEntries) return undefined;
    const target = Math.floor(this.cacheMaxEntries * 0.75);
    this.cache.evictClean(target);
    if (this.cache.size <= target) return undefined;
    return this.flush().then(() => this.cache.evictClean(target));
  }

  /** Writes dirty windows and deletes expired ones in one batch. */
  async flush(): Promise<void> {
    const limit = this.newestStart - this.retentionMs;
    const batch = this.db.write({ capacity: Math.max(16, this.cache.dirtyCount + 1) });
    const written: number[] = [];
    this.cache.forEachDirty((windowStart, encoded, slot) => {
      const key = diskKeyBuffer([windowStart, encoded]);
      if (slot.value === undefined) batch.tryDelete(key);
      else batch.tryPut(key, this.packr.pack(slot.value));
      written.push(windowStart);
    });
    if (this.expiryDue) {
      batch.tryDeleteRange(diskKeyBuffer([Number.NEGATIVE_INFINITY]), diskKeyBuffer([nextDoubleUp(limit)]));
    }
    this.cache.markClean();
    await batch.flush();
    batch.destroy();
    for (const start of written) this.diskStarts.add(start);
    for (const start of this.diskStarts) if (start <= limit) this.diskStarts.delete(start);
    this.expiryDue = false;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.db.close();
  }
}
