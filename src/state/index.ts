/** State stores: contracts, in-memory and persistent implementations, and the factory. */
export type { CheckpointedStore, CheckpointOffsets } from './checkpoint.js';
export { isCheckpointedStore } from './checkpoint.js';
export type { EncodedKey } from './key-codec.js';
export { compareEncodedKeys, defaultKeyCodec, stableStringify } from './key-codec.js';
export { MemoryKeyValueStore } from './memory-key-value-store.js';
export { MemorySessionStore } from './memory-session-store.js';
export { MemoryWindowStore } from './memory-window-store.js';
export { PersistentKeyValueStore } from './persistent-key-value-store.js';
export { PersistentSessionStore } from './persistent-session-store.js';
export type { PersistentStoreOptions } from './persistent-store.js';
export { DEFAULT_CACHE_MAX_ENTRIES, PersistentStore } from './persistent-store.js';
export { PersistentWindowStore } from './persistent-window-store.js';
export type {
  KeyCodec,
  KeyValueStore,
  SessionEntry,
  SessionStore,
  SessionWindow,
  StateStore,
  StoreContext,
  StoreKind,
  StoreSpec,
  WindowEntry,
  WindowStore,
  WindowUpdater,
} from './store.js';
export { storeDirectory } from './store-directory.js';
export type { AnyStore, CreateStoreOptions } from './store-factory.js';
export { createStore } from './store-factory.js';
export { updateWindow } from './update-window.js';
