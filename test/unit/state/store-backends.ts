/**
 * The backends the shared behavioural suites run against: in-memory, persistent with the
 * default cache, and persistent with a cache of a few entries (so eviction, disk reads and
 * write-through happen on almost every call). Stores are created in fresh temp directories
 * and closed after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  createStore,
  type KeyValueStore,
  type SessionStore,
  type StateStore,
  type StoreContext,
  type WindowStore,
} from '../../../src/state/index.js';

export interface StoreBackend {
  readonly label: string;
  readonly persistent: boolean;
  readonly cacheMaxEntries?: number;
}

export const BACKENDS: readonly StoreBackend[] = [
  { label: 'memory', persistent: false },
  { label: 'persistent', persistent: true },
  { label: 'persistent, cache of 4 entries', persistent: true, cacheMaxEntries: 4 },
];

/** Opens stores of one backend; everything it opened is closed and deleted after each test. */
export function storeOpener(backend: StoreBackend) {
  const open: StateStore[] = [];
  const dirs: string[] = [];
  let ctx: StoreContext | undefined;

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    ctx = undefined;
  });

  function context(): StoreContext {
    if (ctx === undefined) {
      const stateDir = mkdtempSync(join(tmpdir(), 'tributary-state-'));
      dirs.push(stateDir);
      ctx = { applicationId: 'app', taskId: '0_0', stateDir };
    }
    return ctx;
  }

  function make<S extends StateStore>(
    kind: 'key-value' | 'window' | 'session',
    name: string,
    retentionMs?: number,
  ) {
    const spec = {
      name,
      kind,
      backend: backend.persistent ? ('persistent' as const) : ('memory' as const),
      retentionMs,
    };
    const options = backend.cacheMaxEntries === undefined ? {} : { cacheMaxEntries: backend.cacheMaxEntries };
    const store = createStore(spec, context(), options) as unknown as S;
    open.push(store);
    return store;
  }

  return {
    context,
    keyValue: <K, V>(name = 'kv') => make<KeyValueStore<K, V>>('key-value', name),
    window: <K, V>(retentionMs: number, name = 'windows') =>
      make<WindowStore<K, V>>('window', name, retentionMs),
    session: <K, V>(retentionMs: number, name = 'sessions') =>
      make<SessionStore<K, V>>('session', name, retentionMs),
    /** Closes `store` (which flushes a persistent one) and opens a fresh instance on the same data. */
    async reopen<S extends StateStore>(
      store: S,
      kind: 'key-value' | 'window' | 'session',
      retentionMs?: number,
    ) {
      await store.close();
      open.splice(open.indexOf(store), 1);
      return make<S>(kind, store.name, retentionMs);
    },
  };
}
