import { ChangeloggingBase, type ChangeloggingStore, entryId } from './changelogging-store.js';
import type { KeyValueStore } from './store.js';

/** A key-value store that records changed keys for its changelog. Changelog key: the key. */
export class ChangeloggingKeyValueStore<K, V>
  extends ChangeloggingBase<KeyValueStore<K, V>>
  implements KeyValueStore<K, V>, ChangeloggingStore
{
  protected current(key: unknown): unknown {
    return this.inner.get(key as K);
  }

  private mark(key: K): void {
    this.dirty.set(entryId([key]), key);
  }

  get(key: K): V | undefined {
    return this.inner.get(key);
  }

  put(key: K, value: V): void {
    this.inner.put(key, value);
    this.mark(key);
  }

  putIfAbsent(key: K, value: V): V {
    const stored = this.inner.putIfAbsent(key, value);
    if (stored === value) this.mark(key);
    return stored;
  }

  delete(key: K): V | undefined {
    const old = this.inner.delete(key);
    this.mark(key);
    return old;
  }

  range(from: K, to: K) {
    return this.inner.range(from, to);
  }

  all() {
    return this.inner.all();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  restore(key: unknown, value: unknown): void {
    if (value === null || value === undefined) this.inner.delete(key as K);
    else this.inner.put(key as K, value as V);
  }
}
