/**
 * Column types of the DuckDB sink, how they are inferred from row objects, and the table DDL.
 *
 * Mapping from JavaScript values (first batch, first non-null value of each field):
 *   boolean -> BOOLEAN; number -> DOUBLE (exact for integers up to 2^53, and a later fractional
 *   value never breaks the column); bigint -> BIGINT; string -> VARCHAR; Date -> TIMESTAMP;
 *   Uint8Array/Buffer -> BLOB; any other object or array -> JSON; a field that is null in every row
 *   of the first batch -> JSON (it can hold whatever comes later).
 */

/** The DuckDB column types the sink writes. */
export type DuckDbColumnType =
  | 'BOOLEAN'
  | 'INTEGER'
  | 'BIGINT'
  | 'DOUBLE'
  | 'VARCHAR'
  | 'JSON'
  | 'TIMESTAMP'
  | 'BLOB';

/** All column types the sink writes, for validation of explicit specs and existing tables. */
export const DUCKDB_COLUMN_TYPES: ReadonlySet<DuckDbColumnType> = new Set<DuckDbColumnType>([
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'VARCHAR',
  'JSON',
  'TIMESTAMP',
  'BLOB',
]);

/** One column of the sink's table. */
export interface DuckDbColumn {
  readonly name: string;
  readonly type: DuckDbColumnType;
}

/** An explicit column spec: column name -> type, in table order. */
export type DuckDbColumnSpec = Readonly<Record<string, DuckDbColumnType>>;

/** A row as the sink's row mapper returns it: column name -> value. */
export type DuckDbRow = Readonly<Record<string, unknown>>;

/** Turns an explicit spec into columns, rejecting unknown types. */
export function columnsFromSpec(spec: DuckDbColumnSpec): DuckDbColumn[] {
  const columns = Object.entries(spec).map(([name, type]) => {
    if (!DUCKDB_COLUMN_TYPES.has(type)) {
      throw new TypeError(
        `column "${name}" has type "${type}", which the DuckDB sink cannot write; use one of ${[...DUCKDB_COLUMN_TYPES].join(', ')}`,
      );
    }
    return { name, type };
  });
  if (columns.length === 0)
    throw new TypeError('the DuckDB sink column spec is empty: name at least one column');
  return columns;
}

/** Infers columns from the rows of a first batch: every field seen, in first-seen order. */
export function inferColumns(rows: ReadonlyArray<DuckDbRow>): DuckDbColumn[] {
  const types = new Map<string, DuckDbColumnType | undefined>();
  for (const row of rows) {
    for (const name of Object.keys(row)) {
      if (types.get(name) !== undefined) continue;
      types.set(name, inferType(row[name]));
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'JSON' }));
}

/** The column type for one JavaScript value, or undefined for null/undefined (decided later). */
export function inferType(value: unknown): DuckDbColumnType | undefined {
  switch (typeof value) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return 'DOUBLE';
    case 'bigint':
      return 'BIGINT';
    case 'string':
      return 'VARCHAR';
    case 'object':
      if (value === null) return undefined;
      if (value instanceof Date) return 'TIMESTAMP';
      if (value instanceof Uint8Array) return 'BLOB';
      return 'JSON';
    case 'undefined':
      return undefined;
    default:
      // functions and symbols have no column type; JSON is the forgiving choice (they serialize to null).
      return 'JSON';
  }
}

/** Quotes an SQL identifier (table or column name) so any name is safe. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `CREATE TABLE IF NOT EXISTS` for the columns. */
export function createTableSql(table: string, columns: ReadonlyArray<DuckDbColumn>): string {
  const defs = columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (${defs})`;
}

/** Maps a type reported by DuckDB (`DESCRIBE`) to a sink column type, or undefined if unsupported. */
export function columnTypeFromDuckDb(reported: string): DuckDbColumnType | undefined {
  const upper = reported.toUpperCase();
  if (DUCKDB_COLUMN_TYPES.has(upper as DuckDbColumnType)) return upper as DuckDbColumnType;
  return undefined;
}
