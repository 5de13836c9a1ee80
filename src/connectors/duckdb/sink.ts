/**
 * DuckDB sink: the embedded default store of the network monitor when there is no ADX.
 *
 * Each `write` appends its batch in one transaction (all rows or none), so readers see whole
 * batches, and a failed batch leaves nothing behind for the production-error door to duplicate.
 * Reads go through `query()` on a second connection of the same database, so dashboards can query
 * while the pipeline writes (DuckDB's MVCC keeps them apart).
 */

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SinkConnector } from '../../runtime/connector.js';
import type { StreamRecord } from '../../runtime/record.js';
import {
  columnsFromSpec,
  columnTypeFromDuckDb,
  createTableSql,
  type DuckDbColumn,
  type DuckDbColumnSpec,
  type DuckDbRow,
  inferColumns,
} from './columns.js';
import { DuckDbSinkError } from './errors.js';
import { AppenderRowWriter, type DuckDbWriteMethod, InsertRowWriter, type RowWriter } from './row-writers.js';

/** Options of {@link duckDbSink}. */
export interface DuckDbSinkOptions<K, V> {
  /**
   * The database file path (`:memory:` for an in-memory database), or an open DuckDBInstance to
   * share one database between several sinks of one process (the sink then leaves it open on close).
   */
  readonly database: string | DuckDBInstance;
  /** Table to append to; created on the first batch when missing. An existing table keeps its columns. */
  readonly table: string;
  /**
   * Maps a record to a row (column name -> value). Default: the value itself when it is a plain
   * object, else `{ key, value, timestamp }` with the timestamp as a Date. Fields the table has no
   * column for are not stored; columns the row lacks get NULL.
   */
  readonly toRow?: (record: StreamRecord<K, V>) => DuckDbRow;
  /** Explicit columns (name -> type, in order). Without it, types are inferred from the first batch. */
  readonly columns?: DuckDbColumnSpec;
  /** `appender` (default, faster) or `insert` (prepared multi-row INSERT). */
  readonly writeMethod?: DuckDbWriteMethod;
  /** Name in topology descriptions and errors; default `duckdb:<table>`. */
  readonly name?: string;
  /** DuckDB configuration used when the sink opens the file itself (e.g. `{ threads: '2' }`). */
  readonly config?: Record<string, string>;
}

/** Opens a DuckDB sink; rejects with a DuckDbSinkError when the database cannot be opened. */
export function duckDbSink<K, V>(options: DuckDbSinkOptions<K, V>): Promise<DuckDbSink<K, V>> {
  return DuckDbSink.open(options);
}

/** The default row mapper: plain-object values as they are, anything else as key, value and time. */
export function defaultRow<K, V>(record: StreamRecord<K, V>): DuckDbRow {
  const value: unknown = record.value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    if (!(value instanceof Uint8Array)) return value as DuckDbRow;
  }
  return { key: record.key, value, timestamp: new Date(record.timestamp) };
}

/** A SinkConnector that appends records to a DuckDB table. Create it with {@link duckDbSink}. */
export class DuckDbSink<K, V> implements SinkConnector<K, V> {
  readonly name: string;
  /** The table written to. */
  readonly table: string;
  /** The database file (`:memory:` for in-memory databases, `(shared instance)` when given one). */
  readonly file: string;
  private readonly toRow: (record: StreamRecord<K, V>) => DuckDbRow;
  private writer: RowWriter<StreamRecord<K, V>> | undefined;
  private tableColumns: ReadonlyArray<DuckDbColumn> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: DuckDbSinkOptions<K, V>,
    private readonly instance: DuckDBInstance,
    private readonly ownsInstance: boolean,
    private readonly writeConnection: DuckDBConnection,
    private readonly readConnection: DuckDBConnection,
  ) {
    this.table = options.table;
    this.file = typeof options.database === 'string' ? options.database : '(shared instance)';
    this.name = options.name ?? `duckdb:${options.table}`;
    this.toRow = options.toRow ?? defaultRow;
  }

  /** Opens (or joins) the database and its two connections; see {@link duckDbSink}. */
  static async open<K, V>(options: DuckDbSinkOptions<K, V>): Promise<DuckDbSink<K, V>> {
    if (!options.table) throw new TypeError('duckDbSink needs a table name (options.table)');
    const file = typeof options.database === 'string' ? options.database : '(shared instance)';
    let instance: DuckDBInstance;
    try {
      instance =
        typeof options.database === 'string'
          ? await DuckDBInstance.create(options.database, options.config)
          : options.database;
    } catch (error) {
      throw new DuckDbSinkError(
        `DuckDB sink for table "${options.table}" could not open database file "${file}": ${message(error)}. ` +
          'Check that the folder exists and is writable, and that no other process has the file open ' +
          '(within one process, pass one shared DuckDBInstance as `database` to several sinks).',
        options.table,
        file,
        { cause: error },
      );
    }
    const owns = typeof options.database === 'string';
    const writeConnection = await instance.connect();
    const readConnection = await instance.connect();
    return new DuckDbSink(options, instance, owns, writeConnection, readConnection);
  }

  /** The table's columns once known (after the first write, or at once for an existing table). */
  get columns(): ReadonlyArray<DuckDbColumn> | undefined {
    return this.tableColumns;
  }

  async write(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<void> {
    if (this.closing) throw this.error(`cannot write ${batch.length} records: the sink is closed`);
    if (batch.length === 0) return;
    const writer = this.writer ?? (await this.prepareTable(batch));
    const connection = this.writeConnection;
    try {
      await connection.run('BEGIN TRANSACTION');
      await writer.write(batch, this.toRow);
      await connection.run('COMMIT');
    } catch (error) {
      writer.discard();
      await connection.run('ROLLBACK').catch(() => {
        // No transaction left to roll back (the failure ended it) or the database is invalidated.
      });
      throw this.error(
        `could not write a batch of ${batch.length} records: ${message(error)}${hint(error)}`,
        error,
      );
    }
  }

  /** Every `write` commits its batch (DuckDB's write-ahead log makes it durable), so this only waits. */
  async flush(): Promise<void> {}

  /**
   * Runs a read query (with `$1`-style parameters) on the sink's own read connection, safe while
   * writes continue; rows come back as objects (BIGINT as bigint, TIMESTAMP as Date, JSON as its text).
   */
  async query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
    if (this.closing) throw this.error('cannot query: the sink is closed');
    try {
      const reader = await this.readConnection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    } catch (error) {
      throw this.error(`query failed: ${message(error)} (query: ${sql})`, error);
    }
  }

  /** Releases the appender, both connections and (when the sink opened it) the database. Safe twice. */
  close(): Promise<void> {
    this.closing ??= this.release();
    return this.closing;
  }

  private async release(): Promise<void> {
    try {
      this.writer?.close();
    } finally {
      this.writer = undefined;
      this.writeConnection.closeSync();
      this.readConnection.closeSync();
      if (this.ownsInstance) this.instance.closeSync();
    }
  }

  /** Finds or creates the table, then the row writer for its columns. */
  private async prepareTable(
    firstBatch: ReadonlyArray<StreamRecord<K, V>>,
  ): Promise<RowWriter<StreamRecord<K, V>>> {
    try {
      let columns = await this.existingColumns();
      if (!columns) {
        columns = this.options.columns
          ? columnsFromSpec(this.options.columns)
          : inferColumns(firstBatch.map(this.toRow));
        if (columns.length === 0) {
          throw new TypeError(
            'the first batch has no fields to make columns of; pass `columns` or a `toRow`',
          );
        }
        await this.writeConnection.run(createTableSql(this.table, columns));
      }
      this.tableColumns = columns;
      this.writer =
        (this.options.writeMethod ?? 'appender') === 'appender'
          ? await AppenderRowWriter.create(this.writeConnection, this.table, columns)
          : new InsertRowWriter(this.writeConnection, this.table, columns);
      return this.writer;
    } catch (error) {
      throw this.error(`could not prepare the table: ${message(error)}${hint(error)}`, error);
    }
  }

  /** The columns of the table if it exists already, in table order. */
  private async existingColumns(): Promise<DuckDbColumn[] | undefined> {
    const reader = await this.writeConnection.runAndReadAll(
      'SELECT column_name, data_type FROM information_schema.columns ' +
        'WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position',
      [this.table],
    );
    const rows = reader.getRowObjectsJS() as Array<{ column_name: string; data_type: string }>;
    if (rows.length === 0) return undefined;
    return rows.map(({ column_name: name, data_type: reported }) => {
      const type = columnTypeFromDuckDb(reported);
      if (!type) {
        throw new TypeError(
          `existing column "${name}" has type ${reported}, which the sink cannot write; ` +
            'use another table or change the column to BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR, JSON, TIMESTAMP or BLOB',
        );
      }
      return { name, type };
    });
  }

  private error(what: string, cause?: unknown): DuckDbSinkError {
    return new DuckDbSinkError(
      `DuckDB sink "${this.name}" (table "${this.table}", file "${this.file}") ${what}`,
      this.table,
      this.file,
      cause === undefined ? undefined : { cause },
    );
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What to do next for the errors a user can fix outside the program. */
function hint(error: unknown): string {
  const text = message(error);
  if (/No space left|disk (is )?full|ENOSPC/i.test(text))
    return '. The disk is full: free space; later batches are written once they fit';
  if (/IO Error|Permission denied|EACCES|Read-only/i.test(text)) {
    return '. Check the file system holding the database (space, permissions, mount)';
  }
  if (/invalidated/i.test(text))
    return '. An earlier fatal error closed the database: restart the application';
  return '';
}
