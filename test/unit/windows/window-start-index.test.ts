/**
 * The per-key index of window starts that sliding windows and stream-stream joins keep beside
 * their window stores: it must list exactly the windows the store still holds, following the
 * store's expiry rule (start <= newest start - retention), against a real MemoryWindowStore.
 */
import { describe, expect, it } from 'vitest';
import { WindowStartIndex } from '../../../src/operators/windows/window-start-index.js';
import { MemoryWindowStore } from '../../../src/state/memory-window-store.js';
import { seededRandom } from '../../helpers/seeded-random.js';

function startsOf(index: WindowStartIndex<unknown>, key: unknown, from: number, to: number): number[] {
  const out: number[] = [];
  index.startsBetween(key, from, to, out);
  return out;
}

describe('WindowStartIndex', () => {
  it('lists one key’s starts in range, ascending, without duplicates', () => {
    const index = new WindowStartIndex<string>(100);
    for (const start of [30, 10, 20, 20, 50]) index.add('a', start);
    index.add('b', 25);
    expect(startsOf(index, 'a', 15, 40)).toEqual([20, 30]);
    expect(startsOf(index, 'a', 0, 100)).toEqual([10, 20, 30, 50]);
    expect(startsOf(index, 'b', 0, 100)).toEqual([25]);
    expect(startsOf(index, 'c', 0, 100)).toEqual([]);
  });

  it('treats keys the way stores do: equal objects are the same key whatever their property order', () => {
    const index = new WindowStartIndex<{ ip: string; port: number }>(100);
    index.add({ ip: '10.0.0.1', port: 53 }, 5);
    expect(startsOf(index, { port: 53, ip: '10.0.0.1' } as never, 0, 10)).toEqual([5]);
  });

  it('agrees with a MemoryWindowStore under random puts, expiry included', () => {
    const retention = 50;
    const store = new MemoryWindowStore<string, number>('s', retention);
    const index = new WindowStartIndex<string>(retention);
    const random = seededRandom(42);
    let newest = 0;
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(random() * 5)}`;
      // Mostly forward, sometimes far back (into expired starts the store ignores).
      const start = Math.max(0, newest + Math.floor(random() * 12) - (random() < 0.1 ? 80 : 6));
      newest = Math.max(newest, start);
      store.put(key, i, start);
      index.add(key, start);
      if (i % 50 === 0) {
        for (const k of ['k0', 'k1', 'k2', 'k3', 'k4']) {
          const fromStore = [...store.fetchRange(k, 0, newest + 100)].map((e) => e.windowStart);
          expect(startsOf(index, k, 0, newest + 100)).toEqual(fromStore);
        }
      }
    }
  });

  it('is rebuilt from a store', () => {
    const store = new MemoryWindowStore<string, number>('s', 1000);
    store.put('a', 1, 10);
    store.put('b', 2, 15);
    store.put('a', 3, 40);
    const index = WindowStartIndex.fromStore(store);
    expect(startsOf(index, 'a', 0, 100)).toEqual([10, 40]);
    expect(startsOf(index, 'b', 0, 100)).toEqual([15]);
  });
});
