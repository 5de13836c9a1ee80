/**
 * What the persistent stores share: the LMDB database in the store's directory, the checkpoint,
 * the bound on the write-back cache, and flush/close. Each store keeps its own cache layout and
 * says how to write its changes (writeChanges) and how to drop clean entries (evictClean).
 */
import type { CheckpointedStore, CheckpointOffsets } from './checkpoint.js';
import type { DiskKey } from './disk-key.js';
import { type DiskWriter, LmdbDatabase } from './lmdb-database.js';
import type { StateStore } from './store.js';
import { StateStoreWriteError } from './store-write-error.js';

/** Options of the persistent stores. */
export interface PersistentStoreOptions {
  /**
   * Most entries the write-back cache holds, clean and dirty together (default 100,000). When
   * it is exceeded, clean entries are dropped first; if dirty entries alone exceed three
   * quarters of it, they are written to disk at once (without a checkpoint) and dropped.
   */
  readonly cacheMaxEntries?: number;
  /** Whether each flush waits for the device (default true); see LmdbDatabaseOptions. */
  readonly durable?: boolean;
}

/** Default bound of a persistent store's write-back cache. */
export const DEFAULT_CACHE_MAX_ENTRIES = 100_000;

/** The table holding checkpoint and store metadata. */
export const META_TABLE = 'meta';
const CHECKPOINT_KEY: DiskKey = ['checkpoint'];

/** Base of the persistent stores. */
export abstract class PersistentStore implements StateStore, CheckpointedStore {
  readonly persistent = true;
  protected readonly db: LmdbDatabase;
  protected readonly cacheMaxEntries: number;
  /** Entries in the write-back cache; subclasses keep it up to date via noteCached. */
  protected cached = 0;
  private checkpoint: CheckpointOffsets;
  private stagedCheckpoint: CheckpointOffsets | undefined;
  private closed = false;

  protected constructor(
    readonly name: string,
    readonly directory: string,
    dataTables: readonly string[],
    options: PersistentStoreOptions,
  ) {
    const max = options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`store "${name}": cacheMaxEntries must be a positive integer, got ${max}`);
    }
    this.cacheMaxEntries = max;
    this.db = LmdbDatabase.open(directory, [...dataTables, META_TABLE], { durable: options.durable ?? true });
    this.checkpoint = (this.db.get(META_TABLE, CHECKPOINT_KEY) as CheckpointOffsets | undefined) ?? {};
  }

  /** Entries now in the write-back cache (never more than cacheMaxEntries after a call returns). */
  get cachedEntries(): number {
    return this.cached;
  }

  readCheckpoint(): CheckpointOffsets {
    return { ...this.checkpoint };
  }

  writeCheckpoint(offsets: CheckpointOffsets): void {
    this.assertOpen();
    for (const [name, offset] of Object.entries(offsets)) {
      if (!Number.isFinite(offset)) {
        throw new TypeError(
          `store "${this.name}": checkpoint offset for ${name} must be a number, got ${offset}`,
        );
      }
    }
    this.stagedCheckpoint = { ...offsets };
  }

  /** Writes every change and the staged checkpoint to disk in one transaction. */
  async flush(): Promise<void> {
    this.assertOpen();
    this.writeToDisk(true);
  }

  /** Writes what is left and closes; the store is closed afterwards even when that write fails. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.writeToDisk(true);
    } finally {
      this.closed = true;
      this.clearCache();
      this.cached = 0;
      await this.db.close();
    }
  }

  /** Writes the cache's dirty entries (and the staged checkpoint when asked) in one transaction. */
  protected writeToDisk(withCheckpoint: boolean): void {
    const checkpoint = withCheckpoint ? this.stagedCheckpoint : undefined;
    if (!this.hasChanges() && checkpoint === undefined) return;
    try {
      this.db.write((writer) => {
        this.writeChanges(writer);
        if (checkpoint !== undefined) writer.put(META_TABLE, CHECKPOINT_KEY, checkpoint);
      });
    } catch (error) {
      // The transaction did not commit: the cache keeps its changes for the next try.
      throw new StateStoreWriteError(this.name, this.directory, error);
    }
    this.changesWritten();
    if (checkpoint !== undefined) {
      this.checkpoint = checkpoint;
      this.stagedCheckpoint = undefined;
    }
  }

  /** Call after adding (or removing, with a negative count) cache entries; keeps the bound. */
  protected noteCached(count: number): void {
    this.cached += count;
    if (this.cached > this.cacheMaxEntries) this.shrinkCache();
  }

  protected assertOpen(): void {
    if (this.closed) throw new Error(`state store "${this.name}" is closed; it cannot be used any more`);
  }

  private shrinkCache(): void {
    const target = Math.floor(this.cacheMaxEntries * 0.75);
    this.evictClean(target);
    if (this.cached <= target) return;
    // Mostly dirty: write through now rather than grow past the bound.
    this.writeToDisk(false);
    this.evictClean(target);
  }

  /** True when the cache holds changes not yet on disk. */
  protected abstract hasChanges(): boolean;
  /** Writes the cache's changes with `writer` (inside the flush transaction). */
  protected abstract writeChanges(writer: DiskWriter): void;
  /** Marks what writeChanges wrote as clean. */
  protected abstract changesWritten(): void;
  /** Drops clean cache entries until `cached <= target` or none is left. */
  protected abstract evictClean(target: number): void;
  /** Drops the whole cache (on close). */
  protected abstract clearCache(): void;
}
