import { describe, expect, it } from 'vitest';
import { BACKENDS, storeOpener } from './store-backends.js';

describe.each(BACKENDS)('KeyValueStore ($label)', (backend) => {
  const stores = storeOpener(backend);

  it('gets what was put, overwrites, and deletes returning the old value', async () => {
    const store = stores.keyValue<string, number>();
    expect(store.get('a')).toBeUndefined();
    store.put('a', 1);
    store.put('b', 2);
    store.put('a', 3);
    expect(store.get('a')).toBe(3);
    await store.flush();
    expect(store.get('b')).toBe(2);
    expect(store.delete('a')).toBe(3);
    expect(store.delete('a')).toBeUndefined();
    expect(store.get('a')).toBeUndefined();
    await store.flush();
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBe(2);
  });

  it('putIfAbsent keeps an existing value and returns the one stored', async () => {
    const store = stores.keyValue<string, string>();
    expect(store.putIfAbsent('k', 'first')).toBe('first');
    expect(store.putIfAbsent('k', 'second')).toBe('first');
    await store.flush();
    expect(store.putIfAbsent('k', 'third')).toBe('first');
    store.delete('k');
    expect(store.putIfAbsent('k', 'fourth')).toBe('fourth');
    expect(store.get('k')).toBe('fourth');
  });

  it('treats put(key, undefined) as delete', () => {
    const store = stores.keyValue<string, number | undefined>();
    store.put('k', 1);
    store.put('k', undefined);
    expect(store.get('k')).toBeUndefined();
    expect([...store.all()]).toEqual([]);
  });

  it('lists all entries in key order: numbers, then JSON keys, then strings by code unit', async () => {
    const store = stores.keyValue<unknown, number>();
    const keys: unknown[] = ['b', 10, 'B', '\uFFFF', -3, { z: 1 }, 'a', 2.5, '\u{1F600}', [1, 2], 'ab', ''];
    keys.forEach((key, i) => {
      store.put(key, i);
    });
    // Half of them on disk (for persistent stores), half in the cache.
    await store.flush();
    store.put('aa', 100);
    store.put(0, 101);
    const order = [...store.all()].map((entry) => entry.key);
    expect(order).toEqual([
      -3,
      0,
      2.5,
      10,
      '',
      [1, 2],
      { z: 1 },
      'B',
      'a',
      'aa',
      'ab',
      'b',
      '\u{1F600}',
      '\uFFFF',
    ]);
    expect(store.approximateNumEntries()).toBe(14);
  });

  it('returns a range with both bounds inclusive, mixing flushed and unflushed entries', async () => {
    const store = stores.keyValue<string, number>();
    for (const key of ['a', 'c', 'e', 'g']) store.put(key, key.charCodeAt(0));
    await store.flush();
    store.put('d', 100);
    store.put('c', 99);
    store.delete('e');
    const range = (from: string, to: string) => [...store.range(from, to)].map((e) => `${e.key}=${e.value}`);
    expect(range('c', 'g')).toEqual(['c=99', 'd=100', 'g=103']);
    expect(range('b', 'f')).toEqual(['c=99', 'd=100']);
    expect(range('a', 'a')).toEqual(['a=97']);
    expect(range('h', 'z')).toEqual([]);
    expect(range('g', 'a')).toEqual([]);
    await store.flush();
    expect(range('a', 'z')).toEqual(['a=97', 'c=99', 'd=100', 'g=103']);
  });

  it('stores plain-data values: objects, arrays, null, typed arrays', async () => {
    const store = stores.keyValue<string, unknown>();
    const value = {
      count: 3,
      label: 'tcp',
      nested: { list: [1, 'two', null], flag: true },
      bytes: new Uint8Array([0, 1, 255]),
      samples: new Float64Array([1.5, -2.25, 1e300]),
      ids: new Int32Array([-1, 7]),
    };
    store.put('v', value);
    store.put('n', null);
    await store.flush();
    for (let i = 0; i < 10; i++) store.put(`filler-${i}`, i); // pushes 'v' out of a small cache
    expect(store.get('v')).toEqual(value);
    expect(store.get('n')).toBeNull();
  });

  it('counts entries approximately', async () => {
    const store = stores.keyValue<number, number>();
    for (let i = 0; i < 20; i++) store.put(i, i);
    await store.flush();
    store.delete(3);
    store.put(100, 1);
    expect(store.approximateNumEntries()).toBe(20);
    await store.flush();
    expect(store.approximateNumEntries()).toBe(20);
  });
});
