import { describe, expect, it } from 'vitest';
import type { SessionEntry } from '../../../src/state/index.js';
import { BACKENDS, storeOpener } from './store-backends.js';

function show<K, V>(entries: Iterable<SessionEntry<K, V>>): string[] {
  return [...entries].map((e) => `${String(e.key)}[${e.session.start},${e.session.end}]=${String(e.value)}`);
}

describe.each(BACKENDS)('SessionStore ($label)', (backend) => {
  const stores = storeOpener(backend);

  it('puts, fetches and removes sessions; same start with another end is another session', async () => {
    const store = stores.session<string, number>(1_000_000);
    store.put('k', { start: 10, end: 20 }, 1);
    store.put('k', { start: 10, end: 25 }, 2);
    store.put('k', { start: 5, end: 5 }, 3);
    expect(store.fetchSession('k', { start: 10, end: 20 })).toBe(1);
    expect(store.fetchSession('k', { start: 10, end: 25 })).toBe(2);
    expect(store.fetchSession('k', { start: 10, end: 21 })).toBeUndefined();
    await store.flush();
    store.put('k', { start: 10, end: 20 }, 11);
    store.remove('k', { start: 10, end: 25 });
    store.remove('k', { start: 99, end: 100 }); // absent: no effect
    expect(show(store.findSessions('k', 0, 100))).toEqual(['k[5,5]=3', 'k[10,20]=11']);
    await store.flush();
    expect(store.fetchSession('k', { start: 10, end: 25 })).toBeUndefined();
    expect(show(store.findSessions('k', 0, 100))).toEqual(['k[5,5]=3', 'k[10,20]=11']);
  });

  it('findSessions returns sessions with end >= earliestSessionEnd and start <= latestSessionStart, by start', async () => {
    const store = stores.session<string, string>(1_000_000);
    store.put('k', { start: 40, end: 50 }, 'c');
    store.put('k', { start: 0, end: 10 }, 'a');
    await store.flush();
    store.put('k', { start: 20, end: 30 }, 'b');
    store.put('other', { start: 20, end: 30 }, 'x');
    const find = (earliestEnd: number, latestStart: number) =>
      [...store.findSessions('k', earliestEnd, latestStart)].map((e) => e.value);
    expect(find(10, 40)).toEqual(['a', 'b', 'c']); // both bounds inclusive
    expect(find(11, 39)).toEqual(['b']);
    expect(find(31, 39)).toEqual([]);
    expect(find(0, 0)).toEqual(['a']);
    expect(find(50, 1000)).toEqual(['c']);
    // Merging a new record at t=35 with gap 5: sessions touching [30, 40].
    expect(find(30, 40)).toEqual(['b', 'c']);
    expect([...store.findSessions('missing', 0, 100)]).toEqual([]);
  });

  it('lists all sessions ordered by key, then start', async () => {
    const store = stores.session<unknown, number>(1_000_000);
    store.put('b', { start: 5, end: 6 }, 1);
    store.put(3, { start: 9, end: 9 }, 2);
    store.put('a', { start: 7, end: 8 }, 3);
    await store.flush();
    store.put('a', { start: 1, end: 2 }, 4);
    store.put('c', { start: 0, end: 0 }, 5);
    store.remove('b', { start: 5, end: 6 });
    store.put('b', { start: 6, end: 7 }, 6);
    expect(show(store.all())).toEqual(['3[9,9]=2', 'a[1,2]=4', 'a[7,8]=3', 'b[6,7]=6', 'c[0,0]=5']);
    await store.flush();
    expect(show(store.all())).toEqual(['3[9,9]=2', 'a[1,2]=4', 'a[7,8]=3', 'b[6,7]=6', 'c[0,0]=5']);
  });

  it('expires sessions with end <= newest end - retention, and ignores puts of expired sessions', async () => {
    const store = stores.session<string, number>(100);
    store.put('a', { start: 0, end: 60 }, 1);
    store.put('b', { start: 60, end: 100 }, 2);
    store.put('a', { start: 120, end: 150 }, 3);
    await store.flush();
    expect(show(store.all())).toEqual(['a[0,60]=1', 'a[120,150]=3', 'b[60,100]=2']);
    store.put('c', { start: 200, end: 200 }, 4); // limit 100: a[0,60] and b[60,100] expire
    expect(show(store.all())).toEqual(['a[120,150]=3', 'c[200,200]=4']);
    expect(store.fetchSession('b', { start: 60, end: 100 })).toBeUndefined();
    expect(show(store.findSessions('a', 0, 1000))).toEqual(['a[120,150]=3']);
    store.put('late', { start: 90, end: 100 }, 5);
    expect(store.fetchSession('late', { start: 90, end: 100 })).toBeUndefined();
    await store.flush();
    expect(show(store.all())).toEqual(['a[120,150]=3', 'c[200,200]=4']);
  });

  it('rejects a session that ends before it starts', () => {
    const store = stores.session<string, number>(100);
    expect(() => store.put('k', { start: 5, end: 4 }, 1)).toThrow(/start <= end, got \[5, 4\]/);
  });
});
