/**
 * What the changelogging store wrappers share: dirty-entry tracking, the changelog position kept
 * in the inner store's checkpoint, and restore. Writes go to the inner store as they happen; the
 * runtime takes the changed entries at each commit (`drainChanges`) and sends their current
 * values (or tombstones) to the store's compacted changelog topic.
 */
import { type CheckpointOffsets, isCheckpointedStore } from './checkpoint.js';
import { defaultKeyCodec } from './key-codec.js';
import type { StateStore } from './store.js';

/** One changelog record: the entry's changelog key and its value now (null: deleted). */
export interface ChangelogEntry {
  readonly key: unknown;
  readonly value: unknown;
}

/** A store whose changes are sent to a changelog topic by the runtime. */
export interface ChangeloggingStore extends StateStore {
  /** Changelog records for everything changed since the last call, one per changed entry. */
  drainChanges(): ChangelogEntry[];
  /** True when entries changed since the last drain (writes the changelog has not seen). */
  hasChanges(): boolean;
  /** Applies one changelog record (restore); not recorded as a change. */
  restore(key: unknown, value: unknown): void;
  /** The changelog offset the store's disk contents reflect (from its checkpoint), if any. */
  checkpointedOffset(): number | undefined;
  /** Remembers the changelog's next offset; written with the data at the next flush. */
  setChangelogOffset(offset: number): void;
}

/** True when `store` is a changelogging wrapper. */
export function isChangeloggingStore(store: StateStore): store is ChangeloggingStore {
  return typeof (store as Partial<ChangeloggingStore>).drainChanges === 'function';
}

const codec = defaultKeyCodec<unknown>();

/** Identity of a changed entry, for de-duplicating changes between commits. */
export function entryId(parts: readonly unknown[]): string {
  return parts
    .map((p) => {
      const encoded = codec.encode(p);
      return typeof encoded === 'number' ? `n${encoded}` : `s${encoded}`;
    })
    .join('\u0000');
}

/** The shared part of the three wrappers. */
export abstract class ChangeloggingBase<S extends StateStore> {
  /** Changed entries since the last drain, by entry id: the changelog key. */
  protected readonly dirty = new Map<string, unknown>();
  private changelogOffset: number | undefined;

  constructor(
    protected readonly inner: S,
    /** Checkpoint entry holding the changelog offset, e.g. "app-counts-changelog:3". */
    private readonly checkpointName: string,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  /** The current value of a changed entry (undefined: deleted or expired). */
  protected abstract current(changelogKey: unknown): unknown;

  drainChanges(): ChangelogEntry[] {
    const out: ChangelogEntry[] = [];
    for (const key of this.dirty.values()) out.push({ key, value: this.current(key) ?? null });
    this.dirty.clear();
    return out;
  }

  hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  checkpointedOffset(): number | undefined {
    return isCheckpointedStore(this.inner) ? this.inner.readCheckpoint()[this.checkpointName] : undefined;
  }

  setChangelogOffset(offset: number): void {
    this.changelogOffset = offset;
  }

  readCheckpoint(): CheckpointOffsets {
    return isCheckpointedStore(this.inner) ? this.inner.readCheckpoint() : {};
  }

  writeCheckpoint(offsets: CheckpointOffsets): void {
    if (!isCheckpointedStore(this.inner)) return;
    const withChangelog =
      this.changelogOffset === undefined
        ? offsets
        : { ...offsets, [this.checkpointName]: this.changelogOffset };
    this.inner.writeCheckpoint(withChangelog);
  }

  flush(): Promise<void> {
    // A store flushed without a task checkpoint still records how far the changelog was applied.
    if (this.changelogOffset !== undefined && isCheckpointedStore(this.inner)) {
      const saved = this.inner.readCheckpoint();
      if (saved[this.checkpointName] !== this.changelogOffset) this.writeCheckpoint(saved);
    }
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
