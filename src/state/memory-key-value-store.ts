/**
 * In-memory KeyValueStore: a Map from encoded key to a mutable slot, with the key order
 * computed only when a range or full scan needs it.
 */
import type { KeyValue } from '../runtime/record.js';
import { defaultKeyCodec } from './key-codec.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import type { KeyCodec, KeyValueStore } from './store.js';

interface Slot<K, V> {
  readonly key: K;
  value: V;
}

/**
 * A KeyValueStore held in memory. Values are kept by reference (no copy). `put(key, undefined)`
 * deletes the key, since undefined cannot be told apart from "absent".
 */
export class MemoryKeyValueStore<K, V> implements KeyValueStore<K, V> {
  readonly persistent = false;
  private readonly slots = new OrderedKeyMap<Slot<K, V>>();

  constructor(
    readonly name: string,
    private readonly codec: KeyCodec<K> = defaultKeyCodec<K>(),
  ) {}

  get(key: K): V | undefined {
    return this.slots.get(this.codec.encode(key))?.value;
  }

  put(key: K, value: V): void {
    if (value === undefined) {
      this.delete(key);
      return;
    }
    const encoded = this.codec.encode(key);
    const slot = this.slots.get(encoded);
    if (slot !== undefined) slot.value = value;
    else this.slots.set(encoded, { key, value });
  }

  putIfAbsent(key: K, value: V): V {
    const encoded = this.codec.encode(key);
    const slot = this.slots.get(encoded);
    if (slot !== undefined) return slot.value;
    if (value !== undefined) this.slots.set(encoded, { key, value });
    return value;
  }

  delete(key: K): V | undefined {
    const encoded = this.codec.encode(key);
    const slot = this.slots.get(encoded);
    if (slot === undefined) return undefined;
    this.slots.delete(encoded);
    return slot.value;
  }

  *range(from: K, to: K): Generator<KeyValue<K, V>> {
    yield* this.entriesBetween(this.codec.encode(from), this.codec.encode(to));
  }

  *all(): Generator<KeyValue<K, V>> {
    yield* this.entriesBetween(undefined, undefined);
  }

  approximateNumEntries(): number {
    return this.slots.size;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.slots.clear();
  }

  private *entriesBetween(from: string | number | undefined, to: string | number | undefined) {
    for (const encoded of this.slots.keysBetween(from, to)) {
      const slot = this.slots.get(encoded);
      // A key deleted while the caller iterates is skipped.
      if (slot !== undefined) yield { key: slot.key, value: slot.value };
    }
  }
}
