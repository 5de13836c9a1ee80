import { defaultKeyCodec, type EncodedKey } from '../../state/key-codec.js';
import { dropThrough, insertSortedNumber, lowerBoundNumber } from '../../state/sorted-numbers.js';
import type { WindowStore } from '../../state/store.js';

/**
 * The window starts of each key, kept in memory beside a window store whose starts are record
 * times (sliding windows, stream-stream join buffers). Window stores list windows by start across
 * all keys, so one key's range read there costs a lookup per distinct start in the range, which
 * with a start per record is thousands; here it is a binary search over the key's own starts.
 * It mirrors the store's expiry (starts at or before the newest start minus retention), is rebuilt
 * from the store after a restart, and drops keys that went quiet once per retention period.
 */
export class WindowStartIndex<K> {
  private readonly byKey = new Map<EncodedKey, number[]>();
  private readonly codec = defaultKeyCodec<K>();
  private newestStart = Number.NEGATIVE_INFINITY;
  private nextSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly retentionMs: number) {}

  /** An index of every window in `store`. */
  static fromStore<K>(store: WindowStore<K, unknown>): WindowStartIndex<K> {
    const index = new WindowStartIndex<K>(store.retentionMs);
    for (const { key, windowStart } of store.all()) index.add(key, windowStart);
    return index;
  }

  /** Records that `key` has a window at `start` (call after putting it in the store). */
  add(key: K, start: number): void {
    if (start > this.newestStart) {
      this.newestStart = start;
      if (start >= this.nextSweep) this.sweep();
    } else if (start <= this.newestStart - this.retentionMs) {
      return; // the store ignores puts into expired windows
    }
    const encoded = this.codec.encode(key);
    const starts = this.byKey.get(encoded);
    if (starts === undefined) this.byKey.set(encoded, [start]);
    else insertSortedNumber(starts, start);
  }

  /** Appends the live starts of `key` with from <= start <= to to `out`, ascending. */
  startsBetween(key: K, from: number, to: number, out: number[]): void {
    const encoded = this.codec.encode(key);
    const starts = this.byKey.get(encoded);
    if (starts === undefined) return;
    const limit = this.newestStart - this.retentionMs;
    if (starts[0]! <= limit) {
      dropThrough(starts, limit);
      if (starts.length === 0) {
        this.byKey.delete(encoded);
        return;
      }
    }
    for (let i = lowerBoundNumber(starts, from); i < starts.length && starts[i]! <= to; i++)
      out.push(starts[i]!);
  }

  private sweep(): void {
    const limit = this.newestStart - this.retentionMs;
    for (const [encoded, starts] of this.byKey) {
      if (starts[starts.length - 1]! <= limit) this.byKey.delete(encoded);
      else if (starts[0]! <= limit) dropThrough(starts, limit);
    }
    this.nextSweep = this.newestStart + Math.max(1, this.retentionMs);
  }
}

/** A window's state as a new, independent window (accumulators may be mutated in place by `add`). */
