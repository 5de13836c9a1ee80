/**
 * The write-back cache of a persistent window store: one segment per window start (sorted starts),
 * which flushing, expiry and eviction walk, plus an index of each key's windows, which lookups use
 * (one Map lookup for the several windows of a key a hopping aggregation updates per record), with
 * a dirty flag per entry. Kept apart from the disk so another on-disk KV can be put behind it
 * (bench/stores.ts does that for RocksDB).
 */
import type { EncodedKey } from './key-codec.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import { dropThrough, lowerBoundNumber } from './sorted-numbers.js';

/** A cached window; `value === undefined` means absent (a tombstone when dirty). */
export interface CachedWindow<K, V> {
  readonly key: K;
  readonly start: number;
  value: V | undefined;
  dirty: boolean;
}

/** Cached windows by start, then encoded key. */
export class WindowCache<K, V> {
  private readonly segments = new Map<number, OrderedKeyMap<CachedWindow<K, V>>>();
  /** Starts of the segments, ascending. */
  readonly starts: number[] = [];
  /** The segments in the order of `starts`: scanning a few numbers beats hashing a double. */
  private readonly segmentList: OrderedKeyMap<CachedWindow<K, V>>[] = [];
  /** The cached windows of each key, ascending by start: how `get` finds a window. */
  private readonly byKey = new Map<EncodedKey, CachedWindow<K, V>[]>();
  /** The key looked up last and its windows: a hopping aggregation asks for one key several times in a row. */
  private recentKey: EncodedKey | undefined;
  private recentSlots: CachedWindow<K, V>[] | undefined;
  /** Entries in the cache. */
  size = 0;
  /** Dirty entries in the cache. */
  dirtyCount = 0;

  get(windowStart: number, encoded: EncodedKey): CachedWindow<K, V> | undefined {
    const slots = this.slotsOf(encoded);
    if (slots === undefined) return undefined;
    for (let i = slots.length - 1; i >= 0; i--) {
      const start = slots[i]!.start;
      if (start === windowStart) return slots[i];
      if (start < windowStart) return undefined;
    }
    return undefined;
  }

  /** The segment of one window start, if cached; recent starts are at the end, where the scan begins. */
  segment(windowStart: number): OrderedKeyMap<CachedWindow<K, V>> | undefined {
    const starts = this.starts;
    if (starts.length > 16) return this.segments.get(windowStart);
    for (let i = starts.length - 1; i >= 0; i--) {
      if (starts[i] === windowStart) return this.segmentList[i];
    }
    return undefined;
  }

  /** Sets a window's value; returns how many entries were added (0 or 1). */
  set(windowStart: number, encoded: EncodedKey, key: K, value: V | undefined, dirty: boolean): number {
    const slot = this.get(windowStart, encoded);
    if (slot !== undefined) {
      slot.value = value;
      if (dirty && !slot.dirty) {
        slot.dirty = true;
        this.dirtyCount++;
      }
      return 0;
    }
    let segment = this.segment(windowStart);
    if (segment === undefined) {
      segment = new OrderedKeyMap();
      this.segments.set(windowStart, segment);
      const at = lowerBoundNumber(this.starts, windowStart);
      this.starts.splice(at, 0, windowStart);
      this.segmentList.splice(at, 0, segment);
    }
    const added: CachedWindow<K, V> = { key, start: windowStart, value, dirty };
    segment.set(encoded, added);
    this.index(encoded, added);
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
      for (const [encoded, slot] of segment.entries()) {
        if (slot.dirty) this.dirtyCount--;
        this.unindex(encoded, slot);
      }
      dropped += segment.size;
      this.segments.delete(start);
    }
    this.segmentList.splice(0, dropThrough(this.starts, limit));
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
        this.unindex(encoded, slot);
        this.size--;
      }
      if (segment.size === 0) this.removeSegment(start);
    }
  }

  clear(): void {
    this.segments.clear();
    this.starts.length = 0;
    this.segmentList.length = 0;
    this.byKey.clear();
    this.recentKey = undefined;
    this.recentSlots = undefined;
    this.size = 0;
    this.dirtyCount = 0;
  }

  private slotsOf(encoded: EncodedKey): CachedWindow<K, V>[] | undefined {
    if (encoded === this.recentKey) return this.recentSlots;
    const slots = this.byKey.get(encoded);
    if (slots !== undefined) {
      this.recentKey = encoded;
      this.recentSlots = slots;
    }
    return slots;
  }

  /** Adds a new slot to its key's windows, in start order (usually at the end). */
  private index(encoded: EncodedKey, slot: CachedWindow<K, V>): void {
    let slots = this.slotsOf(encoded);
    if (slots === undefined) {
      slots = [];
      this.byKey.set(encoded, slots);
      this.recentKey = encoded;
      this.recentSlots = slots;
    }
    let at = slots.length;
    while (at > 0 && slots[at - 1]!.start > slot.start) at--;
    slots.splice(at, 0, slot);
  }

  /** Removes a slot from its key's windows (oldest first, so it is usually at the front). */
  private unindex(encoded: EncodedKey, slot: CachedWindow<K, V>): void {
    const slots = this.slotsOf(encoded);
    const at = slots === undefined ? -1 : slots.indexOf(slot);
    if (at < 0) return;
    slots!.splice(at, 1);
    if (slots!.length > 0) return;
    this.byKey.delete(encoded);
    this.recentKey = undefined;
    this.recentSlots = undefined;
  }

  private removeSegment(start: number): void {
    this.segments.delete(start);
    const at = this.starts.indexOf(start);
    if (at >= 0) {
      this.starts.splice(at, 1);
      this.segmentList.splice(at, 1);
    }
  }
}
