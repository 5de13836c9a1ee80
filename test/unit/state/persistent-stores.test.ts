import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CheckpointedStore,
  createStore,
  isCheckpointedStore,
  type KeyValueStore,
  MemoryKeyValueStore,
  type SessionStore,
  type StateStore,
  type StoreContext,
  type WindowStore,
} from '../../../src/state/index.js';
import { LmdbDatabase } from '../../../src/state/lmdb-database.js';
import type { PersistentStore } from '../../../src/state/persistent-store.js';

const MINUTE = 60_000;
const dirs: string[] = [];
const open: StateStore[] = [];

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newContext(): StoreContext {
  const stateDir = mkdtempSync(join(tmpdir(), 'tributary-persist-'));
  dirs.push(stateDir);
  return { applicationId: 'app', taskId: '0_1', stateDir };
}

function keyValue<K, V>(ctx: StoreContext, cacheMaxEntries?: number) {
  const store = createStore({ name: 'kv', kind: 'key-value', backend: 'persistent' }, ctx, {
    cacheMaxEntries,
  });
  open.push(store);
  return store as KeyValueStore<K, V> & CheckpointedStore;
}

function windows<K, V>(ctx: StoreContext, retentionMs: number, cacheMaxEntries?: number) {
  const spec = { name: 'windows', kind: 'window', backend: 'persistent', retentionMs } as const;
  const store = createStore(spec, ctx, { cacheMaxEntries });
  open.push(store);
  return store as WindowStore<K, V> & CheckpointedStore;
}

function sessions<K, V>(ctx: StoreContext, retentionMs: number) {
  const spec = { name: 'sessions', kind: 'session', backend: 'persistent', retentionMs } as const;
  const store = createStore(spec, ctx);
  open.push(store);
  return store as SessionStore<K, V> & CheckpointedStore;
}

async function close(store: StateStore): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await store.close();
}

/** Every key on disk in one table of a closed store. */
function diskKeys(directory: string, tables: string[], table: string): unknown[][] {
  const db = LmdbDatabase.open(directory, [...tables, 'meta']);
  try {
    return [...db.keys(table)];
  } finally {
    void db.close();
  }
}

describe('persistent stores', () => {
  it('keep their data across a close and a fresh instance, for every kind', async () => {
    const ctx = newContext();
    const kv = keyValue<string, unknown>(ctx);
    kv.put('a', { n: 1 });
    kv.put('b', [1, 2]);
    await kv.flush();
    kv.put('c', 'not flushed, but close flushes');
    kv.delete('a');
    await close(kv);
    const kv2 = keyValue<string, unknown>(ctx);
    expect([...kv2.all()]).toEqual([
      { key: 'b', value: [1, 2] },
      { key: 'c', value: 'not flushed, but close flushes' },
    ]);

    const ws = windows<string, number>(ctx, 10 * MINUTE);
    ws.put('x', 1, MINUTE);
    ws.put('y', 2, 2 * MINUTE);
    await close(ws);
    const ws2 = windows<string, number>(ctx, 10 * MINUTE);
    expect(ws2.fetch('x', MINUTE)).toBe(1);
    expect([...ws2.fetchAll(0, 10 * MINUTE)].map((e) => [e.key, e.windowStart, e.value])).toEqual([
      ['x', MINUTE, 1],
      ['y', 2 * MINUTE, 2],
    ]);

    const ss = sessions<string, string>(ctx, 10 * MINUTE);
    ss.put('s', { start: 1, end: 5 }, 'first');
    ss.put('s', { start: 9, end: 12 }, 'second');
    await close(ss);
    const ss2 = sessions<string, string>(ctx, 10 * MINUTE);
    expect([...ss2.findSessions('s', 0, 100)].map((e) => e.value)).toEqual(['first', 'second']);
  });

  it('live in <stateDir>/<applicationId>/<taskId>/<store name>', async () => {
    const ctx = newContext();
    const kv = keyValue<string, number>(ctx);
    kv.put('k', 1);
    await kv.flush();
    expect(existsSync(join(ctx.stateDir, 'app', '0_1', 'kv'))).toBe(true);
  });

  it('keep plain-data values exact on disk, typed arrays included', async () => {
    const ctx = newContext();
    const store = keyValue<string, unknown>(ctx);
    const backing = new Float64Array([9, 1.25, -0.5, 9]);
    const value = {
      f64: backing.subarray(1, 3),
      u8: new Uint8Array([0, 127, 255]),
      i32: new Int32Array([-2147483648, 2147483647]),
      f32: new Float32Array([0.5]),
      big: new BigInt64Array([-5n]),
      nested: [{ a: null }, 'text', 1e300, -0.125, true],
    };
    store.put('v', value);
    await close(store);
    const read = keyValue<string, typeof value>(ctx).get('v')!;
    expect(read.f64).toBeInstanceOf(Float64Array);
    expect([...read.f64]).toEqual([1.25, -0.5]);
    expect(read.u8).toBeInstanceOf(Uint8Array);
    expect([...read.u8]).toEqual([0, 127, 255]);
    expect(read.i32).toBeInstanceOf(Int32Array);
    expect([...read.i32]).toEqual([-2147483648, 2147483647]);
    expect([...read.f32]).toEqual([0.5]);
    expect([...read.big]).toEqual([-5n]);
    expect(read.nested).toEqual([{ a: null }, 'text', 1e300, -0.125, true]);
  });

  it('write the staged checkpoint with the data in one flush, and read it back after a restart', async () => {
    const ctx = newContext();
    const store = windows<string, number>(ctx, 10 * MINUTE);
    expect(isCheckpointedStore(store)).toBe(true);
    expect(isCheckpointedStore(new MemoryKeyValueStore('m'))).toBe(false);
    expect(store.readCheckpoint()).toEqual({});
    store.put('k', 1, 0);
    store.writeCheckpoint({ 'changelog:0': 10 });
    expect(store.readCheckpoint()).toEqual({}); // staged only
    await store.flush();
    expect(store.readCheckpoint()).toEqual({ 'changelog:0': 10 });
    store.writeCheckpoint({ 'changelog:0': 20, 'changelog:1': 5 });
    await close(store);
    expect(windows(ctx, 10 * MINUTE).readCheckpoint()).toEqual({ 'changelog:0': 20, 'changelog:1': 5 });
    expect(() => store.writeCheckpoint({ x: 1 })).toThrow(/store "windows" is closed/);
  });

  it('survive a process that flushed and then died: flushed data and checkpoint only', async () => {
    const ctx = newContext();
    const child = fileURLToPath(new URL('./fixtures/write-then-exit.ts', import.meta.url));
    execFileSync(process.execPath, ['--import', 'tsx', child, ctx.stateDir], {
      stdio: 'pipe',
      timeout: 60_000,
    });
    const store = createStore(
      { name: 'packets-per-source', kind: 'window', backend: 'persistent', retentionMs: 600_000 },
      { ...ctx, applicationId: 'netmon', taskId: '1_3' },
    ) as WindowStore<string, { count: number; sizes: Float64Array }> & CheckpointedStore;
    open.push(store);
    expect(store.readCheckpoint()).toEqual({ 'network-packets:3': 41 });
    const all = [...store.all()].map((e) => [e.windowStart, e.key, e.value.count, [...e.value.sizes]]);
    expect(all).toEqual([
      [60_000, '10.0.0.1', 3, [60, 1500, 40]],
      [60_000, '10.0.0.2', 1, [576]],
      [120_000, '10.0.0.1', 1, [52]],
    ]);
    expect(store.fetch('10.0.0.9', 120_000)).toBeUndefined();
  });

  it('delete expired windows from disk, not just hide them', async () => {
    const ctx = newContext();
    const store = windows<string, number>(ctx, 3 * MINUTE);
    for (let minute = 0; minute < 3; minute++) {
      for (const key of ['a', 'b']) store.put(key, minute, minute * MINUTE);
    }
    await store.flush();
    store.put('a', 5, 5 * MINUTE); // limit 2m: windows 0, 1m and 2m expire
    await close(store);
    const keys = diskKeys(join(ctx.stateDir, 'app', '0_1', 'windows'), ['windows'], 'windows');
    expect(keys).toEqual([[5 * MINUTE, 'a']]);
  });

  it('delete expired windows left on disk by an earlier run with a longer retention', async () => {
    const ctx = newContext();
    const long = windows<string, number>(ctx, 100 * MINUTE);
    for (let minute = 0; minute < 10; minute++) long.put('k', minute, minute * MINUTE);
    await close(long);
    const short = windows<string, number>(ctx, 3 * MINUTE);
    expect([...short.all()].map((e) => e.value)).toEqual([7, 8, 9]);
    expect(short.fetch('k', 6 * MINUTE)).toBeUndefined();
    await close(short);
    const keys = diskKeys(join(ctx.stateDir, 'app', '0_1', 'windows'), ['windows'], 'windows');
    expect(keys.map((k) => k[0])).toEqual([7 * MINUTE, 8 * MINUTE, 9 * MINUTE]);
  });

  it('delete expired sessions and their end index from disk', async () => {
    const ctx = newContext();
    const store = sessions<string, number>(ctx, 100);
    store.put('a', { start: 0, end: 10 }, 1);
    store.put('b', { start: 5, end: 80 }, 2);
    store.put('a', { start: 50, end: 150 }, 3);
    await store.flush();
    store.put('c', { start: 200, end: 200 }, 4); // limit 100: [0,10] and [5,80] expire
    await close(store);
    const directory = join(ctx.stateDir, 'app', '0_1', 'sessions');
    const tables = ['sessions', 'sessionEnds'];
    expect(diskKeys(directory, tables, 'sessions')).toEqual([
      ['a', 50, 150],
      ['c', 200, 200],
    ]);
    expect(diskKeys(directory, tables, 'sessionEnds')).toEqual([
      [150, 'a', 50],
      [200, 'c', 200],
    ]);
  });

  it('stay correct with a cache far smaller than the data, writing through when it is all dirty', async () => {
    const ctx = newContext();
    const store = windows<string, { count: number }>(ctx, 10 * MINUTE, 8);
    const reference = new Map<string, number>();
    let mostCached = 0;
    for (let i = 0; i < 3000; i++) {
      const key = `k${(i * 7919) % 101}`;
      const start = Math.floor(i / 500) * MINUTE;
      const current = store.fetch(key, start)?.count ?? 0;
      store.put(key, { count: current + 1 }, start);
      reference.set(`${start}/${key}`, current + 1);
      mostCached = Math.max(mostCached, (store as unknown as PersistentStore).cachedEntries);
      if (i % 997 === 0) await store.flush();
    }
    expect(mostCached).toBeLessThanOrEqual(8);
    const actual = new Map([...store.all()].map((e) => [`${e.windowStart}/${e.key}`, e.value.count]));
    expect(actual).toEqual(reference);
    await close(store);
    const reopened = windows<string, { count: number }>(ctx, 10 * MINUTE, 8);
    expect(new Map([...reopened.all()].map((e) => [`${e.windowStart}/${e.key}`, e.value.count]))).toEqual(
      reference,
    );
  });

  it('can skip waiting for the device (durable: false) and still reopen the data durably', async () => {
    const ctx = newContext();
    const spec = { name: 'kv', kind: 'key-value', backend: 'persistent' } as const;
    const fast = createStore<string, number>(spec, ctx, { durable: false });
    fast.put('k', 1);
    await fast.close();
    const durable = keyValue<string, number>(ctx);
    expect(durable.get('k')).toBe(1);
    expect(durable.approximateNumEntries()).toBe(1);
  });

  it('reject a key too long for the disk when it is put, not at flush', () => {
    const store = keyValue<string, number>(newContext());
    expect(() => store.put('x'.repeat(2000), 1)).toThrow(/too long for a persistent store/);
    store.put('y'.repeat(400), 1);
    expect(store.get('y'.repeat(400))).toBe(1);
  });

  it('refuse to be used after close', async () => {
    const store = keyValue<string, number>(newContext());
    await close(store);
    expect(() => store.get('k')).toThrow(/store "kv" is closed/);
    expect(() => store.put('k', 1)).toThrow(/closed/);
    await expect(store.flush()).rejects.toThrow(/closed/);
    await store.close(); // closing twice is harmless
  });
});
