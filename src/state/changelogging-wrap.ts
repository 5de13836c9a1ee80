import { ChangeloggingKeyValueStore } from './changelogging-key-value-store.js';
import { ChangeloggingSessionStore } from './changelogging-session-store.js';
import type { ChangeloggingStore } from './changelogging-store.js';
import { ChangeloggingWindowStore } from './changelogging-window-store.js';
import type { KeyValueStore, SessionStore, StateStore, StoreSpec, WindowStore } from './store.js';

/**
 * Wraps a store built from `spec` so its changes can be sent to a changelog. `checkpointName`
 * names the checkpoint entry holding the changelog offset (the runtime uses "<topic>:<partition>").
 */
export function wrapWithChangelog(
  spec: StoreSpec,
  inner: StateStore,
  checkpointName: string,
): ChangeloggingStore {
  switch (spec.kind) {
    case 'key-value':
      return new ChangeloggingKeyValueStore(inner as KeyValueStore<unknown, unknown>, checkpointName);
    case 'window':
      return new ChangeloggingWindowStore(inner as WindowStore<unknown, unknown>, checkpointName);
    case 'session':
      return new ChangeloggingSessionStore(inner as SessionStore<unknown, unknown>, checkpointName);
    default:
      throw new Error(`store "${spec.name}": cannot changelog a store of kind "${(spec as StoreSpec).kind}"`);
  }
}
