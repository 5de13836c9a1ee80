/**
 * The on-disk side of persistent stores: one LMDB environment per store directory, with named
 * tables, binary keys in the order of compareEncodedKeys (see disk-key.ts), and values in
 * MessagePack with typed-array support. Reads are synchronous (LMDB maps the file into memory);
 * writes happen in one synchronous transaction per call to `write`, so a flush is atomic.
 */
import { mkdirSync } from 'node:fs';
import { type Database, type Key, open, type RootDatabase } from 'lmdb';
import { type DiskKey, readDiskKey, writeDiskKey } from './disk-key.js';
import type { EncodedKey } from './key-codec.js';

/** Writes inside one transaction. */
export interface DiskWriter {
  put(table: string, key: DiskKey, value: unknown): void;
  remove(table: string, key: DiskKey): void;
}

/** Bounds of a range scan: `start` inclusive, `end` exclusive; omitted means open. */
export interface DiskRange {
  readonly start?: DiskKey | undefined;
  readonly end?: DiskKey | undefined;
}

/** One stored entry, its key decoded back into a tuple. */
export interface DiskEntry {
  readonly key: EncodedKey[];
  readonly value: unknown;
}

/** Options for opening a database. */
export interface LmdbDatabaseOptions {
  /**
   * When false, commits do not wait for the OS to write them to the device: a process crash
   * loses nothing, a machine crash may lose recent commits. Default true (durable commits).
   */
  readonly durable?: boolean;
}

const KEY_ENCODER = { writeKey: writeDiskKey, readKey: readDiskKey };
// Without `moreTypes`, msgpackr writes Float64Array and other typed arrays as the wrong bytes.
// Plain maps instead of msgpackr records: small aggregates encode ~20% faster (bench/stores.ts).
const VALUE_ENCODER = { moreTypes: true, useRecords: false };

/** Our tuples go to LMDB as they are: the custom key encoder above turns them into bytes. */
function lmdbKey<T extends DiskKey | undefined>(key: T): T extends undefined ? undefined : Key {
  return key as unknown as T extends undefined ? undefined : Key;
}

/** An LMDB environment in one directory with a fixed set of named tables. */
export class LmdbDatabase {
  private readonly tables = new Map<string, Database<unknown, Key>>();

  private constructor(
    private readonly root: RootDatabase<unknown, Key>,
    readonly path: string,
    tableNames: readonly string[],
  ) {
    for (const name of tableNames) {
      const options = { name, keyEncoder: KEY_ENCODER, encoder: VALUE_ENCODER };
      this.tables.set(name, root.openDB<unknown, Key>(options));
    }
  }

  /** Opens (creating if needed) the database in directory `path` with the given tables. */
  static open(path: string, tableNames: readonly string[], options: LmdbDatabaseOptions = {}): LmdbDatabase {
    mkdirSync(path, { recursive: true });
    try {
      const root = open<unknown, Key>({
        path,
        maxDbs: Math.max(4, tableNames.length),
        noSync: options.durable === false,
        keyEncoder: KEY_ENCODER,
      });
      return new LmdbDatabase(root, path, tableNames);
    } catch (error) {
      throw new Error(
        `cannot open the persistent state store at ${path}: ${(error as Error).message}; ` +
          'check that the directory is writable and not used by an incompatible program',
        { cause: error },
      );
    }
  }

  /** The value at `key`, or undefined. */
  get(table: string, key: DiskKey): unknown {
    return this.table(table).get(lmdbKey(key));
  }

  /** Entries with start <= key < end, in key order. */
  entries(table: string, range: DiskRange = {}): Iterable<DiskEntry> {
    return this.table(table).getRange({
      start: lmdbKey(range.start),
      end: lmdbKey(range.end),
    }) as Iterable<DiskEntry>;
  }

  /** Keys with start <= key < end, in key order. */
  keys(table: string, range: DiskRange = {}, limit?: number): Iterable<EncodedKey[]> {
    return this.table(table).getKeys({
      start: lmdbKey(range.start),
      end: lmdbKey(range.end),
      limit,
    }) as Iterable<EncodedKey[]>;
  }

  /** Number of entries in `table` (from LMDB's statistics, without a scan). */
  count(table: string): number {
    return (this.table(table).getStats() as { entryCount: number }).entryCount;
  }

  /** Runs `writes` in one synchronous transaction: all of them are committed, or none. */
  write(writes: (writer: DiskWriter) => void): void {
    const writer: DiskWriter = {
      put: (table, key, value) => {
        this.table(table).putSync(lmdbKey(key), value);
      },
      remove: (table, key) => {
        this.table(table).removeSync(lmdbKey(key));
      },
    };
    this.root.transactionSync(() => writes(writer));
  }

  /** Closes the environment; the object is unusable afterwards. */
  async close(): Promise<void> {
    await this.root.close();
  }

  private table(name: string): Database<unknown, Key> {
    const table = this.tables.get(name);
    if (table === undefined) throw new Error(`no table "${name}" in the state store at ${this.path}`);
    return table;
  }
}
