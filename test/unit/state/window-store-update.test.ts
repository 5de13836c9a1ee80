/**
 * WindowStore.update (one-lookup read-modify-write) on every backend, the updateWindow fallback for
 * stores without it, the changelogging wrapper, and a model check of every window store operation
 * against a naive list of windows that follows the documented expiry rule.
 */
import { describe, expect, it } from 'vitest';
import { ChangeloggingWindowStore } from '../../../src/state/changelogging-window-store.js';
import { updateWindow, type WindowEntry, type WindowStore } from '../../../src/state/index.js';
import { defaultKeyCodec } from '../../../src/state/key-codec.js';
import { MemoryWindowStore } from '../../../src/state/memory-window-store.js';
import { seededRandom as random } from '../../helpers/seeded-random.js';
import { BACKENDS, storeOpener } from './store-backends.js';

const MINUTE = 60_000;

function show<K, V>(entries: Iterable<WindowEntry<K, V>>): string[] {
  return [...entries].map((e) => `${e.windowStart / MINUTE}:${String(e.key)}=${JSON.stringify(e.value)}`);
}

describe.each(BACKENDS)('WindowStore.update ($label)', (backend) => {
  const stores = storeOpener(backend);

  it('creates, changes in place, and deletes when the updater returns undefined', async () => {
    const store = stores.window<string, { count: number }>(10 * MINUTE);
    const seen: Array<number | undefined> = [];
    const increment = (previous: { count: number } | undefined) => {
      seen.push(previous?.count);
      if (previous === undefined) return { count: 1 };
      previous.count++;
      return previous;
    };
    expect(store.update!('a', 0, increment)).toEqual({ count: 1 });
    expect(store.update!('a', 0, increment)).toEqual({ count: 2 });
    expect(store.update!('a', MINUTE, increment)).toEqual({ count: 1 });
    expect(store.update!('b', 0, increment)).toEqual({ count: 1 });
    expect(seen).toEqual([undefined, 1, undefined, undefined]);
    await store.flush();
    // A value changed in place after a flush still reaches the disk.
    expect(store.update!('a', 0, increment)).toEqual({ count: 3 });
    expect(store.update!('b', 0, () => undefined)).toBeUndefined();
    expect(store.fetch('b', 0)).toBeUndefined();
    expect(store.update!('never', 0, () => undefined)).toBeUndefined();
    const reopened = await stores.reopen(store, 'window', 10 * MINUTE);
    const expected = backend.persistent ? ['0:a={"count":3}', '1:a={"count":1}'] : [];
    expect(show(reopened.all())).toEqual(expected);
  });

  it('leaves expired windows alone without calling the updater', () => {
    const store = stores.window<string, number>(5 * MINUTE);
    store.update!('k', 7 * MINUTE, () => 7); // limit is now 2m
    let called = false;
    const updater = () => {
      called = true;
      return 1;
    };
    expect(store.update!('k', 2 * MINUTE, updater)).toBeUndefined();
    expect(store.update!('other', MINUTE, updater)).toBeUndefined();
    expect(called).toBe(false);
    expect(store.update!('k', 3 * MINUTE, updater)).toBe(1);
    expect(show(store.all())).toEqual(['3:k=1', '7:k=7']);
  });

  it('a newer start expires older windows of the same key', () => {
    const store = stores.window<string, number>(2 * MINUTE);
    for (let minute = 0; minute < 5; minute++) store.update!('k', minute * MINUTE, (v) => (v ?? 0) + minute);
    expect(show(store.fetchRange('k', 0, 10 * MINUTE))).toEqual(['3:k=3', '4:k=4']);
    // Everything but the key's newest window expires when a start far ahead arrives for it.
    store.update!('k', 100 * MINUTE, () => 100);
    expect(show(store.all())).toEqual(['100:k=100']);
  });
});

describe('updateWindow', () => {
  it('falls back to fetch + put (or delete) on a store without update', () => {
    const inner = new MemoryWindowStore<string, number>('w', 10 * MINUTE);
    // The same store seen through an object that only has the older methods.
    const plain: WindowStore<string, number> = {
      name: inner.name,
      persistent: false,
      retentionMs: inner.retentionMs,
      put: (k, v, s) => inner.put(k, v, s),
      fetch: (k, s) => inner.fetch(k, s),
      fetchRange: (k, f, t) => inner.fetchRange(k, f, t),
      fetchAll: (f, t) => inner.fetchAll(f, t),
      delete: (k, s) => inner.delete(k, s),
      all: () => inner.all(),
      flush: () => inner.flush(),
      close: () => inner.close(),
    };
    expect(updateWindow(plain, 'a', 0, (v) => (v ?? 0) + 5)).toBe(5);
    expect(updateWindow(plain, 'a', 0, (v) => (v ?? 0) + 5)).toBe(10);
    expect(inner.fetch('a', 0)).toBe(10);
    expect(updateWindow(plain, 'a', 0, () => undefined)).toBeUndefined();
    expect(inner.fetch('a', 0)).toBeUndefined();
  });

  it('goes through a changelogging wrapper and records the change', () => {
    const store = new ChangeloggingWindowStore(
      new MemoryWindowStore<unknown, number>('w', 10 * MINUTE, defaultKeyCodec()),
      'cl:0',
    );
    updateWindow(store, 'a', 0, (v) => (v ?? 0) + 1);
    updateWindow(store, 'a', 0, (v) => (v ?? 0) + 1);
    updateWindow(store, 'b', MINUTE, () => 9);
    updateWindow(store, 'b', MINUTE, () => undefined);
    expect(store.drainChanges()).toEqual([
      { key: ['a', 0], value: 2 },
      { key: ['b', MINUTE], value: null },
    ]);
  });
});

/** The documented behaviour, written the slow and obvious way. */
class WindowList {
  private windows: { key: string; start: number; value: number }[] = [];
  private newestStart = Number.NEGATIVE_INFINITY;
  constructor(private readonly retentionMs: number) {}

  private live(start: number): boolean {
    return start > this.newestStart - this.retentionMs;
  }

  private index(key: string, start: number): number {
    return this.windows.findIndex((w) => w.key === key && w.start === start);
  }

  write(key: string, start: number, value: number | undefined): void {
    if (value !== undefined && start > this.newestStart) this.newestStart = start;
    const at = this.index(key, start);
    if (!this.live(start)) return;
    if (value === undefined) {
      if (at >= 0) this.windows.splice(at, 1);
    } else if (at >= 0) this.windows[at]!.value = value;
    else this.windows.push({ key, start, value });
  }

  fetch(key: string, start: number): number | undefined {
    const at = this.index(key, start);
    return at >= 0 && this.live(start) ? this.windows[at]!.value : undefined;
  }

  between(from: number, to: number, key?: string): string[] {
    return this.windows
      .filter(
        (w) => this.live(w.start) && w.start >= from && w.start <= to && (key === undefined || w.key === key),
      )
      .sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((w) => `${w.start / MINUTE}:${w.key}=${w.value}`);
  }

  count(): number {
    return this.windows.filter((w) => this.live(w.start)).length;
  }
}

describe.each(BACKENDS)('WindowStore against a plain list of windows ($label)', (backend) => {
  const stores = storeOpener(backend);

  it.each([1, 2, 3, 4])('random puts, updates, deletes, reads and scans agree (seed %i)', async (seed) => {
    const next = random(seed);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const retention = 6 * MINUTE;
    const model = new WindowList(retention);
    const store = stores.window<string, number>(retention);
    let clock = 0; // starts mostly move forward, sometimes back, now and then far ahead
    for (let step = 0; step < 2500; step++) {
      const roll = next();
      clock += next() < 0.02 ? 20 : next() < 0.7 ? 0 : next() < 0.8 ? 1 : -1;
      if (clock < 0) clock = 0;
      const key = keys[Math.floor(next() * keys.length)]!;
      const start = Math.max(0, clock - Math.floor(next() * 9)) * MINUTE;
      if (roll < 0.3) {
        model.write(key, start, step);
        store.put(key, step, start);
      } else if (roll < 0.55) {
        const add = (v: number | undefined) => (v === undefined ? step : v + 1);
        model.write(key, start, add(model.fetch(key, start)));
        const expected = model.fetch(key, start);
        expect(store.update!(key, start, add)).toBe(expected);
      } else if (roll < 0.6) {
        expect(store.update!(key, start, () => undefined)).toBeUndefined();
        model.write(key, start, undefined);
      } else if (roll < 0.68) {
        store.delete(key, start);
        model.write(key, start, undefined);
      } else if (roll < 0.85) {
        expect(store.fetch(key, start)).toBe(model.fetch(key, start));
      } else if (roll < 0.92) {
        const [from, to] = [start - 3 * MINUTE, start + Math.floor(next() * 4) * MINUTE];
        expect(show(store.fetchRange(key, from, to)).map(unquote)).toEqual(model.between(from, to, key));
      } else if (roll < 0.97) {
        const [from, to] = [start - 2 * MINUTE, start + MINUTE];
        expect(show(store.fetchAll(from, to)).map(unquote)).toEqual(model.between(from, to));
      } else {
        await store.flush();
      }
    }
    expect(show(store.all()).map(unquote)).toEqual(model.between(-Infinity, Infinity));
    if (!backend.persistent) {
      expect((store as MemoryWindowStore<string, number>).approximateNumEntries()).toBe(model.count());
    }
  });
});

function unquote(line: string): string {
  return line.replace(/"/g, '');
}
