/**
 * Builds a store instance from its StoreSpec: the kind (key-value, window, session) times the
 * backend (memory, persistent). Each task calls this for its own instances.
 */
import { defaultKeyCodec } from './key-codec.js';
import { MemoryKeyValueStore } from './memory-key-value-store.js';
import { MemorySessionStore } from './memory-session-store.js';
import { MemoryWindowStore } from './memory-window-store.js';
import { PersistentKeyValueStore } from './persistent-key-value-store.js';
import { PersistentSessionStore } from './persistent-session-store.js';
import type { PersistentStoreOptions } from './persistent-store.js';
import { PersistentWindowStore } from './persistent-window-store.js';
import type { KeyCodec, KeyValueStore, SessionStore, StoreContext, StoreSpec, WindowStore } from './store.js';
import { storeDirectory } from './store-directory.js';

/** Options for createStore beyond the spec. */
export interface CreateStoreOptions<K> extends PersistentStoreOptions {
  /** How keys are encoded and ordered (default: defaultKeyCodec). */
  readonly keyCodec?: KeyCodec<K>;
}

/** Any of the three store kinds. */
export type AnyStore<K, V> = KeyValueStore<K, V> | WindowStore<K, V> | SessionStore<K, V>;

/**
 * Creates the store `spec` describes, for the task in `ctx`. Persistent stores live in
 * `<stateDir>/<applicationId>/<taskId>/<spec.name>` and pick up what a previous run flushed there.
 * The return type follows `spec.kind` when it is a literal.
 */
export function createStore<K, V>(
  spec: StoreSpec & { readonly kind: 'key-value' },
  ctx: StoreContext,
  options?: CreateStoreOptions<K>,
): KeyValueStore<K, V>;
export function createStore<K, V>(
  spec: StoreSpec & { readonly kind: 'window' },
  ctx: StoreContext,
  options?: CreateStoreOptions<K>,
): WindowStore<K, V>;
export function createStore<K, V>(
  spec: StoreSpec & { readonly kind: 'session' },
  ctx: StoreContext,
  options?: CreateStoreOptions<K>,
): SessionStore<K, V>;
export function createStore<K, V>(
  spec: StoreSpec,
  ctx: StoreContext,
  options?: CreateStoreOptions<K>,
): AnyStore<K, V>;
export function createStore<K, V>(
  spec: StoreSpec,
  ctx: StoreContext,
  options: CreateStoreOptions<K> = {},
): AnyStore<K, V> {
  return buildStore<K, V>(spec, ctx, options);
}

function buildStore<K, V>(
  spec: StoreSpec,
  ctx: StoreContext,
  options: CreateStoreOptions<K>,
): AnyStore<K, V> {
  const codec = options.keyCodec ?? defaultKeyCodec<K>();
  const backend = spec.backend ?? 'memory';
  if (backend !== 'memory' && backend !== 'persistent') {
    throw new Error(`store "${spec.name}": unknown backend "${backend}"; use "memory" or "persistent"`);
  }
  const persistent = backend === 'persistent';
  switch (spec.kind) {
    case 'key-value':
      return persistent
        ? new PersistentKeyValueStore<K, V>(spec.name, storeDirectory(ctx, spec.name), codec, options)
        : new MemoryKeyValueStore<K, V>(spec.name, codec);
    case 'window': {
      const retention = requireRetention(spec);
      return persistent
        ? new PersistentWindowStore<K, V>(
            spec.name,
            storeDirectory(ctx, spec.name),
            retention,
            codec,
            options,
          )
        : new MemoryWindowStore<K, V>(spec.name, retention, codec);
    }
    case 'session': {
      const retention = requireRetention(spec);
      return persistent
        ? new PersistentSessionStore<K, V>(
            spec.name,
            storeDirectory(ctx, spec.name),
            retention,
            codec,
            options,
          )
        : new MemorySessionStore<K, V>(spec.name, retention, codec);
    }
    default:
      throw new Error(
        `store "${spec.name}": unknown kind "${(spec as { kind: string }).kind}"; use "key-value", "window" or "session"`,
      );
  }
}

function requireRetention(spec: StoreSpec): number {
  if (spec.retentionMs === undefined) {
    throw new Error(
      `${spec.kind} store "${spec.name}" needs retentionMs (how long windows are kept after the newest one); ` +
        'set it in the StoreSpec, usually to window size + grace',
    );
  }
  return spec.retentionMs;
}
