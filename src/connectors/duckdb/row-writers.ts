/**
 * Two ways to put rows into a DuckDB table, behind one interface: the Appender API (the default,
 * measured faster) and prepared multi-row INSERT statements. Both run inside the caller's
 * transaction, so a batch lands whole or not at all.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
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

/** Writes through a DuckDB Appender; `flushSync` hands the rows to the open transaction. */
export class AppenderRowWriter<R> implements RowWriter<R> {
  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: ReadonlyArray<DuckDbColumn>,
  ) {}

  /** Creates an appender on `connection` for `table`, whose columns are `columns` in table order. */
  static async create<R>(
    connection: DuckDBConnection,
    table: string,
    columns: ReadonlyArray<DuckDbColumn>,
  ): Promise<AppenderRowWriter<R>> {
    return new AppenderRowWriter<R>(await connection.createAppender(table), columns);
  }

  async write(items: ReadonlyArray<R>, toRow: (item: R) => DuckDbRow): Promise<void> {
    const { appender, columns } = this;
    for (let i = 0; i < items.length; i++) {
      const row = toRow(items[i] as R);
      for (const column of columns) appendCell(appender, cellAt(column, row, i), column);
      appender.endRow();
    }
    appender.flushSync();
  }

  discard(): void {
    this.appender.clear();
  }

  close(): void {
    this.appender.clear();
    this.appender.closeSync();
  }
}

function appendCell(appender: DuckDBAppender, cell: DuckDbCell, column: DuckDbColumn): void {
  if (cell === null) appender.appendNull();
  else if (typeof cell === 'string') appender.appendVarchar(cell);
  else if (typeof cell === 'number') {
    if (column.type === 'INTEGER') appender.appendInteger(cell);
    else appender.appendDouble(cell);
  } else if (typeof cell === 'bigint') appender.appendBigInt(cell);
  else if (typeof cell === 'boolean') appender.appendBoolean(cell);
  else if (cell instanceof Uint8Array) appender.appendBlob(cell);
  else appender.appendTimestamp(cell);
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
