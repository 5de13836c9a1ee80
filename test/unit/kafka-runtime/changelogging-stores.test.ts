/** The changelogging wrappers: one changelog record per changed entry, and restore rebuilds the store. */
import { describe, expect, it } from 'vitest';
import { internalSerde } from '../../../src/runtime/kafka/record-codec.js';
import { ChangeloggingKeyValueStore } from '../../../src/state/changelogging-key-value-store.js';
import { ChangeloggingSessionStore } from '../../../src/state/changelogging-session-store.js';
import { ChangeloggingWindowStore } from '../../../src/state/changelogging-window-store.js';
import { defaultKeyCodec } from '../../../src/state/key-codec.js';
import { MemoryKeyValueStore } from '../../../src/state/memory-key-value-store.js';
import { MemorySessionStore } from '../../../src/state/memory-session-store.js';
import { MemoryWindowStore } from '../../../src/state/memory-window-store.js';

const codec = defaultKeyCodec<unknown>();

describe('changelogging stores', () => {
  it('key-value: the latest value per changed key, tombstones for deletes; restore replays them', () => {
    const store = new ChangeloggingKeyValueStore(
      new MemoryKeyValueStore<unknown, number>('kv', codec),
      'cl:0',
    );
    store.put('a', 1);
    store.put('a', 2);
    store.put({ ip: '10.0.0.1' }, 7);
    store.put('gone', 3);
    store.delete('gone');
    store.putIfAbsent('a', 99);
    const changes = store.drainChanges();
    expect(changes).toEqual([
      { key: 'a', value: 2 },
      { key: { ip: '10.0.0.1' }, value: 7 },
      { key: 'gone', value: null },
    ]);
    expect(store.drainChanges()).toEqual([]);

    const copy = new ChangeloggingKeyValueStore(
      new MemoryKeyValueStore<unknown, number>('kv', codec),
      'cl:0',
    );
    copy.put('gone', 5);
    copy.drainChanges();
    for (const c of changes) copy.restore(c.key, c.value);
    expect([...copy.all()]).toEqual([...store.all()]);
    // Restored entries are not changes of their own.
    expect(copy.drainChanges()).toEqual([]);
  });

  it('window: one record per (key, window start); typed arrays survive the internal serde', () => {
    const store = new ChangeloggingWindowStore(
      new MemoryWindowStore<unknown, unknown>('w', 60_000, codec),
      'cl:1',
    );
    store.put('a', new Float64Array([1.5, 2.5]), 0);
    store.put('a', new Float64Array([3.5]), 0);
    store.put('a', { n: 1 }, 10_000);
    store.delete('a', 10_000);
    const changes = store.drainChanges().map((c) => ({
      key: internalSerde.deserialize(internalSerde.serialize(c.key, 't'), 't'),
      value: c.value === null ? null : internalSerde.deserialize(internalSerde.serialize(c.value, 't'), 't'),
    }));
    expect(changes).toEqual([
      { key: ['a', 0], value: new Float64Array([3.5]) },
      { key: ['a', 10_000], value: null },
    ]);
    const copy = new ChangeloggingWindowStore(
      new MemoryWindowStore<unknown, unknown>('w', 60_000, codec),
      'cl:1',
    );
    for (const c of changes) copy.restore(c.key, c.value);
    expect(copy.fetch('a', 0)).toEqual(new Float64Array([3.5]));
    expect(copy.fetch('a', 10_000)).toBeUndefined();
  });

  it('session: one record per (key, session); removed sessions become tombstones', () => {
    const store = new ChangeloggingSessionStore(
      new MemorySessionStore<unknown, number>('s', 60_000, codec),
      'cl:2',
    );
    store.put('k', { start: 0, end: 10 }, 2);
    store.remove('k', { start: 0, end: 10 });
    store.put('k', { start: 0, end: 20 }, 3);
    const changes = store.drainChanges();
    expect(changes).toEqual([
      { key: ['k', 0, 10], value: null },
      { key: ['k', 0, 20], value: 3 },
    ]);
    const copy = new ChangeloggingSessionStore(
      new MemorySessionStore<unknown, number>('s', 60_000, codec),
      'cl:2',
    );
    for (const c of changes) copy.restore(c.key, c.value);
    expect([...copy.all()]).toEqual([...store.all()]);
  });

  it('memory stores have no checkpoint, so restore starts at the beginning of the changelog', () => {
    const store = new ChangeloggingKeyValueStore(
      new MemoryKeyValueStore<unknown, number>('kv', codec),
      'cl:0',
    );
    store.setChangelogOffset(42);
    expect(store.checkpointedOffset()).toBeUndefined();
  });
});
