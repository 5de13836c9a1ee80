/**
 * Persistent WindowStore on LMDB. On disk, a window is the entry [windowStart, encodedKey], so
 * one window start is one contiguous key range: fetchAll scans in (start, key) order and
 * retention deletes a prefix of the table. In front of the disk sits a WindowCache; the sorted
 * list of starts present on disk lets a read of a brand-new window skip the disk entirely.
 */
import { mergeCacheAndDisk } from './cache-merge.js';
import { assertKeyFitsOnDisk, type DiskKey, nextDoubleUp } from './disk-key.js';
import { defaultKeyCodec, type EncodedKey } from './key-codec.js';
import type { DiskWriter } from './lmdb-database.js';
import { META_TABLE, PersistentStore, type PersistentStoreOptions } from './persistent-store.js';
import { checkRetention } from './retention.js';
import { dropThrough, insertSortedNumber, mergedBetween } from './sorted-numbers.js';
import type { KeyCodec, WindowEntry, WindowStore, WindowUpdater } from './store.js';
import { WindowCache } from './window-cache.js';

const TABLE = 'windows';
const NEWEST_START_KEY: DiskKey = ['newestStart'];

/**
 * A WindowStore on disk under `directory`. Windows with start <= newestStart - retentionMs are
 * expired: never returned, dropped from the cache at once and deleted from disk at the next
 * flush. Values must be plain data; always `put` a value after changing it.
 */
export class PersistentWindowStore<K, V> extends PersistentStore implements WindowStore<K, V> {
  private readonly cache = new WindowCache<K, V>();
  /** Window starts that may have entries on disk, ascending, and the same as a Set. */
  private readonly diskStarts: number[];
  private readonly diskStartSet: Set<number>;
  private newestStart: number;
  private flushedNewestStart: number;
  /** Disk holds windows that expired since the last flush. */
  private diskExpiryDue: boolean;
  /** Starts written by the flush in progress. */
  private writtenStarts = new Set<number>();

  constructor(
    name: string,
    directory: string,
    readonly retentionMs: number,
    private readonly codec: KeyCodec<K> = defaultKeyCodec<K>(),
    options: PersistentStoreOptions = {},
  ) {
    checkRetention('window', name, retentionMs);
    super(name, directory, [TABLE], options);
    this.newestStart =
      (this.db.get(META_TABLE, NEWEST_START_KEY) as number | undefined) ?? Number.NEGATIVE_INFINITY;
    this.flushedNewestStart = this.newestStart;
    this.diskStarts = this.scanDiskStarts();
    this.diskStartSet = new Set(this.diskStarts);
    // A smaller retention than last time (or a crash before expiry) leaves expired windows behind.
    this.diskExpiryDue = this.diskStarts.length > 0 && this.diskStarts[0]! <= this.expiryLimit();
  }

  put(key: K, value: V, windowStart: number): void {
    this.assertOpen();
    if (value === undefined) {
      this.delete(key, windowStart);
      return;
    }
    if (windowStart > this.newestStart) this.advanceTo(windowStart);
    else if (windowStart <= this.newestStart - this.retentionMs) return;
    const encoded = this.codec.encode(key);
    assertKeyFitsOnDisk(encoded, 1);
    const added = this.cache.set(windowStart, encoded, key, value, true);
    if (added !== 0) this.noteCached(added);
  }

  fetch(key: K, windowStart: number): V | undefined {
    this.assertOpen();
    if (windowStart <= this.newestStart - this.retentionMs) return undefined;
    const encoded = this.codec.encode(key);
    const slot = this.cache.get(windowStart, encoded);
    if (slot !== undefined) return slot.value;
    if (!this.diskStartSet.has(windowStart)) return undefined;
    const value = this.db.get(TABLE, [windowStart, encoded]) as V | undefined;
    const added = this.cache.set(windowStart, encoded, key, value, false);
    if (added !== 0) this.noteCached(added);
    return value;
  }

  update(key: K, windowStart: number, updater: WindowUpdater<V>): V | undefined {
    this.assertOpen();
    if (windowStart <= this.newestStart - this.retentionMs) return undefined;
    const encoded = this.codec.encode(key);
    const slot = this.cache.get(windowStart, encoded);
    if (slot !== undefined) {
      const value = updater(slot.value);
      if (value === undefined && slot.value === undefined) return undefined;
      this.cache.write(slot, value); // a tombstone when value is undefined
      return value;
    }
    const onDisk = this.diskStartSet.has(windowStart);
    const previous = onDisk ? (this.db.get(TABLE, [windowStart, encoded]) as V | undefined) : undefined;
    const value = updater(previous);
    if (value === undefined) {
      if (previous !== undefined) this.delete(key, windowStart);
      return undefined;
    }
    if (windowStart > this.newestStart) this.advanceTo(windowStart);
    assertKeyFitsOnDisk(encoded, 1);
    const added = this.cache.set(windowStart, encoded, key, value, true);
    if (added !== 0) this.noteCached(added);
    return value;
  }

  *fetchRange(key: K, timeFrom: number, timeTo: number): Generator<WindowEntry<K, V>> {
    this.assertOpen();
    const encoded = this.codec.encode(key);
    for (const windowStart of this.liveStartsBetween(timeFrom, timeTo)) {
      const slot = this.cache.get(windowStart, encoded);
      let value = slot?.value;
      if (slot === undefined && this.diskStartSet.has(windowStart)) {
        value = this.db.get(TABLE, [windowStart, encoded]) as V | undefined;
      }
      if (value !== undefined) yield { key: slot?.key ?? key, windowStart, value };
    }
  }

  *fetchAll(timeFrom: number, timeTo: number): Generator<WindowEntry<K, V>> {
    this.assertOpen();
    for (const windowStart of this.liveStartsBetween(timeFrom, timeTo)) {
      const segment = this.cache.segment(windowStart);
      const cachedKeys = segment === undefined ? [] : [...segment.keysBetween()];
      const lookup = { get: (encoded: EncodedKey) => this.cache.get(windowStart, encoded) };
      const disk = this.diskStartSet.has(windowStart) ? this.diskWindows(windowStart) : [];
      for (const [key, value] of mergeCacheAndDisk(cachedKeys, lookup, disk, (e) => this.codec.decode(e))) {
        yield { key, windowStart, value };
      }
    }
  }

  delete(key: K, windowStart: number): void {
    this.assertOpen();
    if (windowStart <= this.newestStart - this.retentionMs) return;
    const encoded = this.codec.encode(key);
    // Not on disk and not cached: nothing to delete.
    if (!this.diskStartSet.has(windowStart) && this.cache.get(windowStart, encoded) === undefined) return;
    const added = this.cache.set(windowStart, encoded, key, undefined, true);
    if (added !== 0) this.noteCached(added);
  }

  all(): Iterable<WindowEntry<K, V>> {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** Window starts that may hold live windows (on disk or cached), ascending. */
  windowStarts(): number[] {
    return [...this.liveStartsBetween(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)];
  }

  protected hasChanges(): boolean {
    return this.cache.dirtyCount > 0 || this.diskExpiryDue || this.newestStart !== this.flushedNewestStart;
  }

  protected writeChanges(writer: DiskWriter): void {
    const limit = this.expiryLimit();
    const written = new Set<number>();
    this.cache.forEachDirty((windowStart, encoded, slot) => {
      if (windowStart <= limit) return;
      if (slot.value === undefined) {
        writer.remove(TABLE, [windowStart, encoded]);
      } else {
        writer.put(TABLE, [windowStart, encoded], slot.value);
        written.add(windowStart);
      }
    });
    if (this.diskExpiryDue) {
      const expired: DiskKey[] = [];
      for (const key of this.db.keys(TABLE)) {
        if ((key[0] as number) > limit) break;
        expired.push(key);
      }
      for (const key of expired) writer.remove(TABLE, key);
    }
    writer.put(META_TABLE, NEWEST_START_KEY, this.newestStart);
    this.writtenStarts = written;
  }

  protected changesWritten(): void {
    this.cache.markClean();
    for (const windowStart of this.writtenStarts) {
      if (!this.diskStartSet.has(windowStart)) {
        this.diskStartSet.add(windowStart);
        insertSortedNumber(this.diskStarts, windowStart);
      }
    }
    this.writtenStarts = new Set();
    const limit = this.expiryLimit();
    for (const windowStart of this.diskStarts) {
      if (windowStart > limit) break;
      this.diskStartSet.delete(windowStart);
    }
    dropThrough(this.diskStarts, limit);
    this.diskExpiryDue = false;
    this.flushedNewestStart = this.newestStart;
  }

  protected evictClean(target: number): void {
    this.cache.evictClean(target);
    this.cached = this.cache.size;
  }

  protected clearCache(): void {
    this.cache.clear();
  }

  private expiryLimit(): number {
    return this.newestStart - this.retentionMs;
  }

  private advanceTo(windowStart: number): void {
    this.newestStart = windowStart;
    const limit = this.expiryLimit();
    if (this.cache.starts.length > 0 && this.cache.starts[0]! <= limit) {
      this.cached -= this.cache.dropThrough(limit);
    }
    if (this.diskStarts.length > 0 && this.diskStarts[0]! <= limit) this.diskExpiryDue = true;
  }

  private liveStartsBetween(timeFrom: number, timeTo: number): Generator<number> {
    const from = Math.max(timeFrom, nextDoubleUp(this.expiryLimit()));
    return mergedBetween(this.cache.starts.slice(), this.diskStarts.slice(), from, timeTo);
  }

  /** (encoded key, value) of one window start on disk, in key order. */
  private *diskWindows(windowStart: number): Generator<readonly [EncodedKey, unknown]> {
    for (const { key, value } of this.db.entries(TABLE, { start: [windowStart] })) {
      if (key[0] !== windowStart) return;
      yield [key[1]!, value];
    }
  }

  /** Distinct starts on disk, found by jumping from one start's range to the next. */
  private scanDiskStarts(): number[] {
    const starts: number[] = [];
    let from: DiskKey | undefined;
    for (;;) {
      let found: number | undefined;
      for (const key of this.db.keys(TABLE, { start: from }, 1)) found = key[0] as number;
      if (found === undefined) return starts;
      starts.push(found);
      from = [nextDoubleUp(found)];
    }
  }
}
