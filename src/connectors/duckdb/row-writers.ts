/**
 * Two ways to put rows into a DuckDB table, behind one interface: the Appender API (the default,
 * measured faster) and prepared multi-row INSERT statements. Both run inside the caller's
 * transaction, so a batch lands whole or not at all.
 */
import {
  type DuckDBAppender,
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { type DuckDbColumn, type DuckDbRow, quoteIdentifier } from './columns.js';
import { ColumnValueError, type DuckDbCell, toCell } from './values.js';

/** How the sink writes rows: DuckDB's Appender, or prepared multi-row INSERT statements. */
export type DuckDbWriteMethod = 'appender' | 'insert';

/** Writes rows of one table. */
export interface RowWriter<R> {
  /** Converts each item with `toRow` and writes it; resolves when DuckDB holds the rows. */
  write(items: ReadonlyArray<R>, toRow: (item: R) => DuckDbRow): Promise<void>;
  /** Drops rows converted but not yet written (after a failure). */
  discard(): void;
  /** Releases native resources. */
  close(): void;
}

/** Converts one cell, naming the column and item when the value does not fit. */
function cellAt(column: DuckDbColumn, row: DuckDbRow, index: number): DuckDbCell {
  try {
    return toCell(column.type, row[column.name]);
  } catch (error) {
    if (error instanceof ColumnValueError) {
      throw new ColumnValueError(`record #${index} of the batch, column "${column.name}": ${error.message}`);
    }
    throw error;
  }
}

/** Rows per data chunk: DuckDB's vector size, the most one chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * Writes through a DuckDB Appender, a column-wise data chunk of up to 2048 rows at a time (fewer
 * native calls than appending cell by cell); `flushSync` hands the rows to the open transaction.
 */
export class AppenderRowWriter<R> implements RowWriter<R> {
  /** One reusable array per column; refilled for every chunk. */
  private readonly columnValues: DuckDBValue[][];
  private readonly chunkTypes: DuckDBType[];

  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: ReadonlyArray<DuckDbColumn>,
  ) {
    this.columnValues = columns.map(() => []);
    this.chunkTypes = columns.map((_, i) => appender.columnType(i));
  }

  /** Creates an appender on `connection` for `table`, whose columns are `columns` in table order. */
  static async create<R>(
    connection: DuckDBConnection,
    table: string,
    columns: ReadonlyArray<DuckDbColumn>,
  ): Promise<AppenderRowWriter<R>> {
    return new AppenderRowWriter<R>(await connection.createAppender(table), columns);
  }

  async write(items: ReadonlyArray<R>, toRow: (item: R) => DuckDbRow): Promise<void> {
    const { appender, columns, columnValues } = this;
    for (let start = 0; start < items.length; start += CHUNK_ROWS) {
      const size = Math.min(CHUNK_ROWS, items.length - start);
      for (const values of columnValues) values.length = size;
      for (let r = 0; r < size; r++) {
        const row = toRow(items[start + r] as R);
        for (let c = 0; c < columns.length; c++) {
          const column = columns[c] as DuckDbColumn;
          const cell = cellAt(column, row, start + r);
          (columnValues[c] as DuckDBValue[])[r] =
            cell instanceof Uint8Array ? new DuckDBBlobValue(cell) : cell;
        }
      }
      const chunk = DuckDBDataChunk.create(this.chunkTypes, size);
      chunk.setColumns(columnValues);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    // Drop references to this batch's values.
    for (const values of columnValues) values.length = 0;
  }

  discard(): void {
    for (const values of this.columnValues) values.length = 0;
    this.appender.clear();
  }

  close(): void {
    this.appender.clear();
    this.appender.closeSync();
  }
}

/** Rows per INSERT statement: large enough to amortize the call, small enough to bind quickly. */
const INSERT_ROWS_PER_STATEMENT = 256;

/** Writes through prepared `INSERT INTO t (...) VALUES (...), (...)` statements, cached by row count. */
export class InsertRowWriter<R> implements RowWriter<R> {
  private readonly statements = new Map<number, DuckDBPreparedStatement>();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly table: string,
    private readonly columns: ReadonlyArray<DuckDbColumn>,
  ) {}

  async write(items: ReadonlyArray<R>, toRow: (item: R) => DuckDbRow): Promise<void> {
    const width = this.columns.length;
    for (let start = 0; start < items.length; start += INSERT_ROWS_PER_STATEMENT) {
      const count = Math.min(INSERT_ROWS_PER_STATEMENT, items.length - start);
      const statement = await this.statementFor(count);
      for (let r = 0; r < count; r++) {
        const row = toRow(items[start + r] as R);
        for (let c = 0; c < width; c++) {
          const column = this.columns[c] as DuckDbColumn;
          // Parameter indexes are 1-based.
          bindCell(statement, r * width + c + 1, cellAt(column, row, start + r), column);
        }
      }
      await statement.run();
    }
  }

  discard(): void {
    for (const statement of this.statements.values()) statement.clearBindings();
  }

  close(): void {
    for (const statement of this.statements.values()) statement.destroySync();
    this.statements.clear();
  }

  private async statementFor(rows: number): Promise<DuckDBPreparedStatement> {
    let statement = this.statements.get(rows);
    if (!statement) {
      const names = this.columns.map((c) => quoteIdentifier(c.name)).join(', ');
      const tuple = `(${this.columns.map(() => '?').join(', ')})`;
      const values = new Array<string>(rows).fill(tuple).join(', ');
      statement = await this.connection.prepare(
        `INSERT INTO ${quoteIdentifier(this.table)} (${names}) VALUES ${values}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

function bindCell(
  statement: DuckDBPreparedStatement,
  index: number,
  cell: DuckDbCell,
  column: DuckDbColumn,
): void {
  if (cell === null) statement.bindNull(index);
  else if (typeof cell === 'string') statement.bindVarchar(index, cell);
  else if (typeof cell === 'number') {
    if (column.type === 'INTEGER') statement.bindInteger(index, cell);
    else statement.bindDouble(index, cell);
  } else if (typeof cell === 'bigint') statement.bindBigInt(index, cell);
  else if (typeof cell === 'boolean') statement.bindBoolean(index, cell);
  else if (cell instanceof Uint8Array) statement.bindBlob(index, cell);
  else statement.bindTimestamp(index, cell);
}
