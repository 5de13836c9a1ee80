/**
 * Checkpoints: the input or changelog offsets a persistent store's disk contents reflect,
 * written atomically with the data. After a restart the Kafka runtime restores a store from its
 * changelog starting at the checkpointed offset instead of from the beginning.
 */
import type { StateStore } from './store.js';

/** Offsets by name, e.g. `{ "app-store-changelog:3": 1200 }`; the runtime picks the names. */
export type CheckpointOffsets = Readonly<Record<string, number>>;

/** A store that keeps a checkpoint next to its data. */
export interface CheckpointedStore {
  /** The checkpoint written by the last flush (also across restarts); `{}` when none. */
  readCheckpoint(): CheckpointOffsets;
  /**
   * Stages a checkpoint; the next `flush()` writes it in the same transaction as the data,
   * so the data on disk and the checkpoint always match.
   */
  writeCheckpoint(offsets: CheckpointOffsets): void;
}

/** True when `store` keeps a checkpoint (the persistent stores do). */
export function isCheckpointedStore(store: StateStore): store is StateStore & CheckpointedStore {
  const candidate = store as Partial<CheckpointedStore>;
  return typeof candidate.readCheckpoint === 'function' && typeof candidate.writeCheckpoint === 'function';
}
