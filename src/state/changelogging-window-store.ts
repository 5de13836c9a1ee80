import { ChangeloggingBase, type ChangeloggingStore, entryId } from './changelogging-store.js';
import type { WindowStore, WindowUpdater } from './store.js';
import { updateWindow } from './update-window.js';

/** A window store that records changed windows for its changelog. Changelog key: [key, windowStart]. */
export class ChangeloggingWindowStore<K, V>
  extends ChangeloggingBase<WindowStore<K, V>>
  implements WindowStore<K, V>, ChangeloggingStore
{
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  protected current(changelogKey: unknown): unknown {
    const [key, start] = changelogKey as [K, number];
    return this.inner.fetch(key, start);
  }

  private mark(key: K, windowStart: number): void {
    this.dirty.set(entryId([key, windowStart]), [key, windowStart]);
  }

  put(key: K, value: V, windowStart: number): void {
    this.inner.put(key, value, windowStart);
    this.mark(key, windowStart);
  }

  update(key: K, windowStart: number, updater: WindowUpdater<V>): V | undefined {
    const value = updateWindow(this.inner, key, windowStart, updater);
    this.mark(key, windowStart);
    return value;
  }

  fetch(key: K, windowStart: number): V | undefined {
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: K, timeFrom: number, timeTo: number) {
    return this.inner.fetchRange(key, timeFrom, timeTo);
  }

  fetchAll(timeFrom: number, timeTo: number) {
    return this.inner.fetchAll(timeFrom, timeTo);
  }

  delete(key: K, windowStart: number): void {
    this.inner.delete(key, windowStart);
    this.mark(key, windowStart);
  }

  all() {
    return this.inner.all();
  }

  restore(changelogKey: unknown, value: unknown): void {
    const [key, start] = changelogKey as [K, number];
    if (value === null || value === undefined) this.inner.delete(key, start);
    else this.inner.put(key, value as V, start);
  }
}
