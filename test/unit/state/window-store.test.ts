import { describe, expect, it } from 'vitest';
import type { WindowEntry } from '../../../src/state/index.js';
import { BACKENDS, storeOpener } from './store-backends.js';

const MINUTE = 60_000;

function show<K, V>(entries: Iterable<WindowEntry<K, V>>): string[] {
  return [...entries].map((e) => `${e.windowStart / MINUTE}:${String(e.key)}=${String(e.value)}`);
}

describe.each(BACKENDS)('WindowStore ($label)', (backend) => {
  const stores = storeOpener(backend);

  it('fetches, overwrites and deletes one window of one key', async () => {
    const store = stores.window<string, number>(10 * MINUTE);
    store.put('a', 1, 0);
    store.put('a', 2, MINUTE);
    store.put('b', 3, 0);
    expect(store.fetch('a', 0)).toBe(1);
    expect(store.fetch('a', MINUTE)).toBe(2);
    expect(store.fetch('a', 2 * MINUTE)).toBeUndefined();
    expect(store.fetch('c', 0)).toBeUndefined();
    await store.flush();
    store.put('a', 10, 0);
    expect(store.fetch('a', 0)).toBe(10);
    store.delete('a', MINUTE);
    expect(store.fetch('a', MINUTE)).toBeUndefined();
    await store.flush();
    expect(store.fetch('a', 0)).toBe(10);
    expect(store.fetch('a', MINUTE)).toBeUndefined();
    expect(store.fetch('b', 0)).toBe(3);
  });

  it('does a read-modify-write per window like a windowed aggregation', async () => {
    const store = stores.window<string, { count: number; bytes: number }>(6 * MINUTE);
    for (let i = 0; i < 200; i++) {
      const key = `10.0.0.${i % 7}`;
      const time = i * 3_000; // 10 minutes in all
      for (let start = Math.floor(time / MINUTE) * MINUTE; start > time - 5 * MINUTE; start -= MINUTE) {
        if (start < 0) break;
        const agg = store.fetch(key, start) ?? { count: 0, bytes: 0 };
        store.put(key, { count: agg.count + 1, bytes: agg.bytes + i }, start);
      }
      if (i % 25 === 0) await store.flush();
    }
    // Window [5m, 10m) of key 10.0.0.3 saw the records with time in [5m, 9m57s]: i = 100..199 with i % 7 == 3.
    const expected = { count: 0, bytes: 0 };
    for (let i = 100; i < 200; i++) {
      if (i % 7 !== 3) continue;
      expected.count++;
      expected.bytes += i;
    }
    expect(store.fetch('10.0.0.3', 5 * MINUTE)).toEqual(expected);
  });

  it('fetchRange returns one key’s windows in start order with inclusive bounds', async () => {
    const store = stores.window<string, number>(100 * MINUTE);
    for (const minute of [5, 1, 3, 2, 4]) store.put('k', minute, minute * MINUTE);
    store.put('other', 99, 3 * MINUTE);
    await store.flush();
    store.put('k', 30, 3 * MINUTE);
    expect(show(store.fetchRange('k', 2 * MINUTE, 4 * MINUTE))).toEqual(['2:k=2', '3:k=30', '4:k=4']);
    expect(show(store.fetchRange('k', 0, 100 * MINUTE))).toEqual([
      '1:k=1',
      '2:k=2',
      '3:k=30',
      '4:k=4',
      '5:k=5',
    ]);
    expect(show(store.fetchRange('k', 2 * MINUTE + 1, 3 * MINUTE - 1))).toEqual([]);
    expect(show(store.fetchRange('missing', 0, 100 * MINUTE))).toEqual([]);
  });

  it('fetchAll and all order by start, then key in key order', async () => {
    const store = stores.window<unknown, string>(100 * MINUTE);
    store.put('b', 'x', 2 * MINUTE);
    store.put(7, 'x', 2 * MINUTE);
    store.put('a', 'x', 2 * MINUTE);
    await store.flush();
    store.put('c', 'x', MINUTE);
    store.put('a', 'y', 3 * MINUTE);
    store.put('0', 'x', 2 * MINUTE);
    const expected = ['1:c=x', '2:7=x', '2:0=x', '2:a=x', '2:b=x', '3:a=y'];
    expect(show(store.all())).toEqual(expected);
    expect(show(store.fetchAll(2 * MINUTE, 3 * MINUTE))).toEqual(expected.slice(1));
    expect(show(store.fetchAll(MINUTE, 2 * MINUTE))).toEqual(expected.slice(0, 5));
    expect(show(store.fetchAll(4 * MINUTE, 9 * MINUTE))).toEqual([]);
  });

  it('expires windows with start <= newest start - retention, and ignores puts into them', async () => {
    const store = stores.window<string, number>(5 * MINUTE);
    for (let minute = 0; minute <= 5; minute++) store.put('k', minute, minute * MINUTE);
    await store.flush();
    // Newest start is 5m, so the limit is 0: window 0 is already gone.
    expect(store.fetch('k', 0)).toBeUndefined();
    expect(store.fetch('k', MINUTE)).toBe(1);
    store.put('k', 7, 7 * MINUTE); // limit becomes 2m
    expect(store.fetch('k', 2 * MINUTE)).toBeUndefined();
    expect(store.fetch('k', 3 * MINUTE)).toBe(3);
    expect(show(store.fetchRange('k', 0, 10 * MINUTE))).toEqual(['3:k=3', '4:k=4', '5:k=5', '7:k=7']);
    store.put('k', 100, 2 * MINUTE);
    store.put('late', 100, MINUTE);
    expect(store.fetch('k', 2 * MINUTE)).toBeUndefined();
    expect(show(store.all())).toEqual(['3:k=3', '4:k=4', '5:k=5', '7:k=7']);
    await store.flush();
    expect(show(store.all())).toEqual(['3:k=3', '4:k=4', '5:k=5', '7:k=7']);
  });

  it('keeps only the newest window when the retention is shorter than the window spacing', () => {
    const store = stores.window<string, number>(MINUTE);
    store.put('k', 1, MINUTE);
    store.put('k', 2, 2 * MINUTE);
    expect(store.fetch('k', MINUTE)).toBeUndefined();
    expect(show(store.all())).toEqual(['2:k=2']);
  });

  it('rejects a retention that is not positive, saying what it usually is', () => {
    expect(() => stores.window(0)).toThrow(/retentionMs must be a positive number.*window size \+ grace/);
    expect(() => stores.window(-1)).toThrow(/got -1/);
  });
});
