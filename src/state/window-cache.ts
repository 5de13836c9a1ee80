/**
 * The write-back cache of a persistent window store: the same layout as the in-memory store
 * (one segment per window start, sorted starts) with a dirty flag per entry. Kept apart from
 * the disk so another on-disk KV can be put behind it (bench/stores.ts does that for RocksDB).
 */
import type { EncodedKey } from './key-codec.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import { dropThrough, insertSortedNumber } from './sorted-numbers.js';

/** A cached window; `value === undefined` means absent (a tombstone when dirty). */
export interface CachedWindow<K, V> {
  readonly key: K;
  value: V | undefined;
  dirty: boolean;
}

/** Cached windows by start, then encoded key. */
export class WindowCache<K, V> {
  private readonly segments = new Map<number, OrderedKeyMap<CachedWindow<K, V>>>();
  /** Starts of the segments, ascending. */
  readonly starts: number[] = [];
  /** Entries in the cache. */
  size = 0;
  /** Dirty entries in the cache. */
  dirtyCount = 0;

  get(windowStart: number, encoded: EncodedKey): CachedWindow<K, V> | undefined {
    return this.segments.get(windowStart)?.get(encoded);
  }

  /** The segment of one window start, if cached. */
  segment(windowStart: number): OrderedKeyMap<CachedWindow<K, V>> | undefined {
    return this.segments.get(windowStart);
  }

  /** Sets a window's value; returns how many entries were added (0 or 1). */
  set(windowStart: number, encoded: EncodedKey, key: K, value: V | undefined, dirty: boolean): number {
    let segment = this.segments.get(windowStart);
    if (segment === undefined) {
      segment = new OrderedKeyMap();
      this.segments.set(windowStart, segment);
      insertSortedNumber(this.starts, windowStart);
    }
    const slot = segment.get(encoded);
    if (slot !== undefined) {
      slot.value = value;
      if (dirty && !slot.dirty) {
        slot.dirty = true;
        this.dirtyCount++;
      }
      return 0;
    }
    segment.set(encoded, { key, value, dirty });
    this.size++;
    if (dirty) this.dirtyCount++;
    return 1;
  }

  /** Sets the value of a window already cached (found with `get`) and marks it dirty. */
  write(slot: CachedWindow<K, V>, value: V | undefined): void {
    slot.value = value;
    if (!slot.dirty) {
      slot.dirty = true;
      this.dirtyCount++;
    }
  }

  /** Drops every window with start <= limit, dirty or not; returns how many entries went. */
  dropThrough(limit: number): number {
    let dropped = 0;
    for (const start of this.starts) {
      if (start > limit) break;
      const segment = this.segments.get(start)!;
      for (const [, slot] of segment.entries()) if (slot.dirty) this.dirtyCount--;
      dropped += segment.size;
      this.segments.delete(start);
    }
    dropThrough(this.starts, limit);
    this.size -= dropped;
    return dropped;
  }

  /** Calls `visit` for every dirty window. */
  forEachDirty(visit: (windowStart: number, encoded: EncodedKey, slot: CachedWindow<K, V>) => void): void {
    if (this.dirtyCount === 0) return;
    for (const [start, segment] of this.segments) {
      for (const [encoded, slot] of segment.entries()) if (slot.dirty) visit(start, encoded, slot);
    }
  }

  /** Marks every window clean (after a flush wrote them). */
  markClean(): void {
    if (this.dirtyCount === 0) return;
    for (const segment of this.segments.values()) {
      for (const [, slot] of segment.entries()) slot.dirty = false;
    }
    this.dirtyCount = 0;
  }

  /** Drops clean windows, oldest start first, until size <= target. */
  evictClean(target: number): void {
    for (const start of this.starts.slice()) {
      if (this.size <= target) return;
      const segment = this.segments.get(start)!;
      for (const [encoded, slot] of segment.entries()) {
        if (this.size <= target) break;
        if (slot.dirty) continue;
        segment.delete(encoded);
        this.size--;
      }
      if (segment.size === 0) this.removeSegment(start);
    }
  }

  clear(): void {
    this.segments.clear();
    this.starts.length = 0;
    this.size = 0;
    this.dirtyCount = 0;
  }

  private removeSegment(start: number): void {
    this.segments.delete(start);
    const at = this.starts.indexOf(start);
    if (at >= 0) this.starts.splice(at, 1);
  }
}
