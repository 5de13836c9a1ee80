/**
 * In-memory WindowStore, laid out for windowed aggregation: one segment (a Map from encoded key
 * to slot) per window start, plus the sorted list of live starts. A read-modify-write costs two
 * Map lookups; expiring a whole window is dropping one segment.
 */
import type { EncodedKey } from './key-codec.js';
import { defaultKeyCodec } from './key-codec.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import { checkRetention } from './retention.js';
import { dropThrough, lowerBoundNumber } from './sorted-numbers.js';
import type { KeyCodec, WindowEntry, WindowStore } from './store.js';

interface Slot<K, V> {
  readonly key: K;
  value: V;
}

/**
 * A WindowStore held in memory. When a put brings a newer window start, windows with
 * start <= newestStart - retentionMs are dropped; puts into such expired windows are ignored.
 * Values are kept by reference; `put(key, undefined, start)` deletes.
 */
export class MemoryWindowStore<K, V> implements WindowStore<K, V> {
  readonly persistent = false;
  private readonly segments = new Map<number, OrderedKeyMap<Slot<K, V>>>();
  /** Starts of the segments, ascending. */
  private readonly starts: number[] = [];
  /** The segments in the order of `starts`: scanning a few numbers beats hashing a double. */
  private readonly segmentList: OrderedKeyMap<Slot<K, V>>[] = [];
  private newestStart = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    private readonly codec: KeyCodec<K> = defaultKeyCodec<K>(),
  ) {
    checkRetention('window', name, retentionMs);
  }

  put(key: K, value: V, windowStart: number): void {
    if (value === undefined) {
      this.delete(key, windowStart);
      return;
    }
    if (windowStart > this.newestStart) this.advanceTo(windowStart);
    else if (windowStart <= this.newestStart - this.retentionMs) return;
    const encoded = this.codec.encode(key);
    const segment = this.segment(windowStart) ?? this.addSegment(windowStart);
    const slot = segment.get(encoded);
    if (slot !== undefined) slot.value = value;
    else segment.set(encoded, { key, value });
  }

  fetch(key: K, windowStart: number): V | undefined {
    return this.segment(windowStart)?.get(this.codec.encode(key))?.value;
  }

  *fetchRange(key: K, timeFrom: number, timeTo: number): Generator<WindowEntry<K, V>> {
    const encoded = this.codec.encode(key);
    const starts = this.starts.slice(lowerBoundNumber(this.starts, timeFrom));
    for (const windowStart of starts) {
      if (windowStart > timeTo) return;
      const slot = this.segment(windowStart)?.get(encoded);
      if (slot !== undefined) yield { key: slot.key, windowStart, value: slot.value };
    }
  }

  *fetchAll(timeFrom: number, timeTo: number): Generator<WindowEntry<K, V>> {
    const starts = this.starts.slice(lowerBoundNumber(this.starts, timeFrom));
    for (const windowStart of starts) {
      if (windowStart > timeTo) return;
      yield* this.segmentEntries(windowStart);
    }
  }

  delete(key: K, windowStart: number): void {
    const segment = this.segment(windowStart);
    if (segment === undefined || !segment.delete(this.codec.encode(key))) return;
    if (segment.size === 0) {
      this.segments.delete(windowStart);
      const at = lowerBoundNumber(this.starts, windowStart);
      this.starts.splice(at, 1);
      this.segmentList.splice(at, 1);
    }
  }

  all(): Iterable<WindowEntry<K, V>> {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** Number of live windows over all keys. */
  approximateNumEntries(): number {
    let count = 0;
    for (const segment of this.segments.values()) count += segment.size;
    return count;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.segments.clear();
    this.starts.length = 0;
    this.segmentList.length = 0;
  }

  private advanceTo(windowStart: number): void {
    this.newestStart = windowStart;
    const limit = windowStart - this.retentionMs;
    if (this.starts.length === 0 || this.starts[0]! > limit) return;
    for (const start of this.starts) {
      if (start > limit) break;
      this.segments.delete(start);
    }
    this.segmentList.splice(0, dropThrough(this.starts, limit));
  }

  /** The segment of `windowStart`; newest starts are at the end, where the scan begins. */
  private segment(windowStart: number): OrderedKeyMap<Slot<K, V>> | undefined {
    const starts = this.starts;
    if (starts.length > 16) return this.segments.get(windowStart);
    for (let i = starts.length - 1; i >= 0; i--) {
      if (starts[i] === windowStart) return this.segmentList[i];
    }
    return undefined;
  }

  private addSegment(windowStart: number): OrderedKeyMap<Slot<K, V>> {
    const segment = new OrderedKeyMap<Slot<K, V>>();
    this.segments.set(windowStart, segment);
    const at = lowerBoundNumber(this.starts, windowStart);
    this.starts.splice(at, 0, windowStart);
    this.segmentList.splice(at, 0, segment);
    return segment;
  }

  private *segmentEntries(windowStart: number): Generator<WindowEntry<K, V>> {
    const segment = this.segment(windowStart);
    if (segment === undefined) return;
    for (const encoded of segment.keysBetween() as Iterable<EncodedKey>) {
      const slot = segment.get(encoded);
      if (slot !== undefined) yield { key: slot.key, windowStart, value: slot.value };
    }
  }
}
