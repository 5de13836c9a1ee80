/**
 * In-memory WindowStore, laid out for windowed aggregation: one entry per key holding that key's
 * window starts (ascending) and values side by side. A hopping aggregation touches several windows
 * of one key per record: the key's entry is looked up once (the last entry used is kept at hand)
 * and each window is found by a scan of a few numbers. Expired windows are dropped lazily, when
 * their key is touched, and by a sweep over all keys once per retention period, so keys that went
 * quiet do not keep memory.
 */
import type { EncodedKey } from './key-codec.js';
import { compareEncodedKeys, defaultKeyCodec } from './key-codec.js';
import { checkRetention } from './retention.js';
import { dropThrough, lowerBoundNumber, upperBoundNumber } from './sorted-numbers.js';
import type { KeyCodec, WindowEntry, WindowStore, WindowUpdater } from './store.js';

/** The windows of one key: `starts` ascending, `values[i]` the value of the window at `starts[i]`. */
interface KeyWindows<K, V> {
  readonly key: K;
  readonly encoded: EncodedKey;
  readonly starts: number[];
  readonly values: V[];
}

/** Beyond this many windows per key, a binary search finds a start instead of a scan from the end. */
const SCAN_LIMIT = 16;

/**
 * A WindowStore held in memory. When a put brings a newer window start, windows with
 * start <= newestStart - retentionMs are expired: never returned again and dropped from memory;
 * puts into such expired windows are ignored. Values are kept by reference;
 * `put(key, undefined, start)` deletes.
 */
export class MemoryWindowStore<K, V> implements WindowStore<K, V> {
  readonly persistent = false;
  private readonly byKey = new Map<EncodedKey, KeyWindows<K, V>>();
  /** The entry used last: consecutive calls for one key skip the Map lookup. */
  private recent: KeyWindows<K, V> | undefined;
  private newestStart = Number.NEGATIVE_INFINITY;
  private nextSweep = Number.NEGATIVE_INFINITY;

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
    const entry = this.entry(encoded) ?? this.addEntry(key, encoded);
    const at = positionOf(entry.starts, windowStart);
    if (entry.starts[at] === windowStart) entry.values[at] = value;
    else insertAt(entry, at, windowStart, value);
  }

  update(key: K, windowStart: number, updater: WindowUpdater<V>): V | undefined {
    if (windowStart <= this.newestStart - this.retentionMs) return undefined;
    const encoded = this.codec.encode(key);
    const entry = this.entry(encoded);
    if (entry !== undefined) {
      const at = positionOf(entry.starts, windowStart);
      if (entry.starts[at] === windowStart) {
        const value = updater(entry.values[at]);
        if (value === undefined) this.removeAt(entry, at);
        else entry.values[at] = value;
        return value;
      }
      const value = updater(undefined);
      if (value === undefined) return undefined;
      if (windowStart <= this.newestStart) {
        insertAt(entry, at, windowStart, value);
        return value;
      }
      this.advanceTo(windowStart);
      // The advance may have dropped windows of this entry, or the whole entry.
      const live = this.entry(encoded) ?? this.addEntry(key, encoded);
      insertAt(live, positionOf(live.starts, windowStart), windowStart, value);
      return value;
    }
    const value = updater(undefined);
    if (value === undefined) return undefined;
    if (windowStart > this.newestStart) this.advanceTo(windowStart);
    insertAt(this.addEntry(key, encoded), 0, windowStart, value);
    return value;
  }

  fetch(key: K, windowStart: number): V | undefined {
    if (windowStart <= this.newestStart - this.retentionMs) return undefined;
    const entry = this.entry(this.codec.encode(key));
    if (entry === undefined) return undefined;
    const at = positionOf(entry.starts, windowStart);
    return entry.starts[at] === windowStart ? entry.values[at] : undefined;
  }

  *fetchRange(key: K, timeFrom: number, timeTo: number): Generator<WindowEntry<K, V>> {
    const entry = this.entry(this.codec.encode(key));
    if (entry === undefined) return;
    // A snapshot of the range, so the caller may write to the store while iterating.
    const from = lowerBoundNumber(entry.starts, timeFrom);
    const to = upperBoundNumber(entry.starts, timeTo);
    if (from >= to) return;
    const starts = entry.starts.slice(from, to);
    const values = entry.values.slice(from, to);
    for (let i = 0; i < starts.length; i++)
      yield { key: entry.key, windowStart: starts[i]!, value: values[i]! };
  }

  *fetchAll(timeFrom: number, timeTo: number): Generator<WindowEntry<K, V>> {
    const limit = this.newestStart - this.retentionMs;
    const found: { entry: WindowEntry<K, V>; encoded: EncodedKey }[] = [];
    for (const windows of this.byKey.values()) {
      const { starts, values } = windows;
      for (let i = lowerBoundNumber(starts, timeFrom); i < starts.length && starts[i]! <= timeTo; i++) {
        if (starts[i]! <= limit) continue;
        found.push({
          entry: { key: windows.key, windowStart: starts[i]!, value: values[i]! },
          encoded: windows.encoded,
        });
      }
    }
    found.sort(
      (a, b) => a.entry.windowStart - b.entry.windowStart || compareEncodedKeys(a.encoded, b.encoded),
    );
    for (const { entry } of found) yield entry;
  }

  delete(key: K, windowStart: number): void {
    const entry = this.entry(this.codec.encode(key));
    if (entry === undefined) return;
    const at = positionOf(entry.starts, windowStart);
    if (entry.starts[at] === windowStart) this.removeAt(entry, at);
  }

  all(): Iterable<WindowEntry<K, V>> {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** Number of live windows over all keys. */
  approximateNumEntries(): number {
    const limit = this.newestStart - this.retentionMs;
    let count = 0;
    for (const { starts } of this.byKey.values()) {
      count += starts.length - upperBoundNumber(starts, limit);
    }
    return count;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.byKey.clear();
    this.recent = undefined;
  }

  /** The live windows of a key, after dropping its expired ones; undefined when it has none. */
  private entry(encoded: EncodedKey): KeyWindows<K, V> | undefined {
    let entry = this.recent;
    if (entry === undefined || entry.encoded !== encoded) {
      entry = this.byKey.get(encoded);
      if (entry === undefined) return undefined;
      this.recent = entry;
    }
    const limit = this.newestStart - this.retentionMs;
    if (entry.starts[0]! <= limit && this.dropExpired(entry, limit)) return undefined;
    return entry;
  }

  private addEntry(key: K, encoded: EncodedKey): KeyWindows<K, V> {
    const entry: KeyWindows<K, V> = { key, encoded, starts: [], values: [] };
    this.byKey.set(encoded, entry);
    this.recent = entry;
    return entry;
  }

  private removeAt(entry: KeyWindows<K, V>, at: number): void {
    entry.starts.splice(at, 1);
    entry.values.splice(at, 1);
    if (entry.starts.length === 0) this.forget(entry);
  }

  /** Drops the windows of `entry` at or before `limit`; returns true when none is left. */
  private dropExpired(entry: KeyWindows<K, V>, limit: number): boolean {
    entry.values.splice(0, dropThrough(entry.starts, limit));
    if (entry.starts.length > 0) return false;
    this.forget(entry);
    return true;
  }

  private forget(entry: KeyWindows<K, V>): void {
    this.byKey.delete(entry.encoded);
    if (this.recent === entry) this.recent = undefined;
  }

  private advanceTo(windowStart: number): void {
    this.newestStart = windowStart;
    if (windowStart < this.nextSweep) return;
    // Once per retention period: drop the expired windows of keys that were not touched since.
    const limit = windowStart - this.retentionMs;
    for (const entry of this.byKey.values()) {
      if (entry.starts[0]! <= limit) this.dropExpired(entry, limit);
    }
    this.nextSweep = windowStart + Math.max(1, this.retentionMs);
  }
}

/** Where `start` is or would go in ascending `starts`: new windows are usually the newest, so scan from the end. */
function positionOf(starts: readonly number[], start: number): number {
  if (starts.length > SCAN_LIMIT) return lowerBoundNumber(starts, start);
  let i = starts.length;
  while (i > 0 && starts[i - 1]! >= start) i--;
  return i;
}

function insertAt<K, V>(entry: KeyWindows<K, V>, at: number, start: number, value: V): void {
  if (at === entry.starts.length) {
    entry.starts.push(start);
    entry.values.push(value);
  } else {
    entry.starts.splice(at, 0, start);
    entry.values.splice(at, 0, value);
  }
}
