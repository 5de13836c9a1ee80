import { insertSortedNumber } from '../../state/sorted-numbers.js';
import { keyId } from './key-id.js';

/**
 * Windows waiting for their final result (emit 'final'), grouped by a time that orders their closing
 * (window start, or session end) and kept in ascending order of that time, so closing the due ones
 * is a walk from the front. One entry per key and time.
 */
export class PendingWindows<K, T> {
  private readonly groups = new Map<number, Map<string | number, T>>();
  private times: number[] = [];

  /** Remembers `item` for `key` at `time` (replacing an earlier item for the same key and time). */
  add(time: number, key: K, item: T): void {
    let group = this.groups.get(time);
    if (!group) {
      group = new Map();
      this.groups.set(time, group);
      insertSortedNumber(this.times, time);
    }
    group.set(keyId(key), item);
  }

  /** Forgets the item of `key` at `time`, if any (e.g. a session merged into another). */
  remove(time: number, key: K): void {
    this.groups.get(time)?.delete(keyId(key));
  }

  /** The oldest time with items waiting (+Infinity when none): lets callers skip `takeDue` cheaply. */
  get earliest(): number {
    return this.times.length > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  /**
   * Hands every item whose time is due to `emit`, oldest time first, and forgets them. Stops at the
   * first time that is not due.
   */
  takeDue(isDue: (time: number) => boolean, emit: (time: number, item: T) => void): void {
    const times = this.times;
    let taken = 0;
    while (taken < times.length && isDue(times[taken]!)) {
      const time = times[taken]!;
      for (const item of this.groups.get(time)!.values()) emit(time, item);
      this.groups.delete(time);
      taken++;
    }
    if (taken > 0) this.times = times.slice(taken);
  }
}
