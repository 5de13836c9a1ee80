import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStore,
  MemoryKeyValueStore,
  MemorySessionStore,
  MemoryWindowStore,
  PersistentKeyValueStore,
  PersistentSessionStore,
  PersistentWindowStore,
  type StateStore,
  type StoreContext,
  type StoreSpec,
  storeDirectory,
} from '../../../src/state/index.js';

const dirs: string[] = [];
const open: StateStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function context(): StoreContext {
  const stateDir = mkdtempSync(join(tmpdir(), 'tributary-factory-'));
  dirs.push(stateDir);
  return { applicationId: 'netmon', taskId: '2_7', stateDir };
}

describe('createStore', () => {
  it.each([
    ['key-value', 'memory', MemoryKeyValueStore],
    ['window', 'memory', MemoryWindowStore],
    ['session', 'memory', MemorySessionStore],
    ['key-value', 'persistent', PersistentKeyValueStore],
    ['window', 'persistent', PersistentWindowStore],
    ['session', 'persistent', PersistentSessionStore],
  ] as const)('builds a %s store on the %s backend', (kind, backend, type) => {
    const store = createStore({ name: 'counts', kind, backend, retentionMs: 1000 }, context());
    open.push(store);
    expect(store).toBeInstanceOf(type);
    expect(store.name).toBe('counts');
    expect(store.persistent).toBe(backend === 'persistent');
  });

  it('uses the key codec it is given', () => {
    const byLength = {
      encode: (key: string) => key.length,
      decode: (n: string | number) => 'x'.repeat(Number(n)),
    };
    const store = createStore<string, number>(
      { name: 'kv', kind: 'key-value', backend: 'memory' },
      context(),
      {
        keyCodec: byLength,
      },
    );
    store.put('abc', 1);
    expect(store.get('xyz')).toBe(1);
  });

  it('says what is missing or wrong in a spec', () => {
    const ctx = context();
    expect(() => createStore({ name: 'w', kind: 'window', backend: 'memory' }, ctx)).toThrow(
      /window store "w" needs retentionMs/,
    );
    expect(() =>
      createStore({ name: 'w', kind: 'window', backend: 'disk' } as unknown as StoreSpec, ctx),
    ).toThrow(/unknown backend "disk"; use "memory" or "persistent"/);
    expect(() =>
      createStore({ name: 'w', kind: 'table', backend: 'memory' } as unknown as StoreSpec, ctx),
    ).toThrow(/unknown kind "table"/);
    expect(() => createStore({ name: '../escape', kind: 'key-value', backend: 'persistent' }, ctx)).toThrow(
      /store name "..\/escape" cannot be used as a directory name/,
    );
    expect(() =>
      createStore({ name: 'kv', kind: 'key-value', backend: 'persistent' }, { ...ctx, stateDir: '' }),
    ).toThrow(/needs a state directory: set stateDir/);
  });
});

describe('storeDirectory', () => {
  it('is <stateDir>/<applicationId>/<taskId>/<store>', () => {
    expect(
      storeDirectory({ applicationId: 'netmon', taskId: '0_2', stateDir: '/var/lib/tributary' }, 'counts'),
    ).toBe('/var/lib/tributary/netmon/0_2/counts');
  });
});
