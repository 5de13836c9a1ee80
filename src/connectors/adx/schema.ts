/**
 * Table schemas for Azure Data Explorer: what a table's columns are called, their ADX scalar
 * types, and where each column's value sits in a JSON row. Used by the table-setup helper.
 */

/** The scalar column types ADX supports (`decimal` included; `int` is 32-bit, `long` 64-bit). */
export type AdxColumnType =
  | 'bool'
  | 'datetime'
  | 'decimal'
  | 'dynamic'
  | 'guid'
  | 'int'
  | 'long'
  | 'real'
  | 'string'
  | 'timespan';

/** One column of an ADX table. */
export interface AdxColumn {
  /** Column name: letters, digits, `_`, space, `.` or `-` (ADX entity-name rules). */
  readonly name: string;
  readonly type: AdxColumnType;
  /**
   * JSON path of the value in a row object, for the JSON ingestion mapping. Defaults to the
   * property of the same name (`$.name`, or `$['odd name']` when the name is not a plain identifier).
   */
  readonly path?: string;
}

/** An ADX table: its name and ordered columns (the order also fixes CSV field order). */
export interface AdxTableSchema {
  readonly table: string;
  readonly columns: ReadonlyArray<AdxColumn>;
}

const ADX_COLUMN_TYPES: ReadonlySet<string> = new Set<AdxColumnType>([
  'bool',
  'datetime',
  'decimal',
  'dynamic',
  'guid',
  'int',
  'long',
  'real',
  'string',
  'timespan',
]);

// ADX entity names: letters, digits, underscore, space, dot, dash; 1..1024 characters.
const ENTITY_NAME = /^[\p{L}\p{N}_ .-]{1,1024}$/u;

/**
 * Throws when `name` is not a valid ADX entity name (table, column or mapping). Validating up
 * front means generated KQL never has to escape quotes or brackets inside a name.
 */
export function assertEntityName(name: string, what: string): void {
  if (!ENTITY_NAME.test(name) || name.trim() !== name) {
    throw new RangeError(
      `${what} ${JSON.stringify(name)} is not a valid ADX entity name: use 1-1024 letters, digits, ` +
        `'_', '.', '-' or inner spaces`,
    );
  }
}

/** Throws with the offending column when the schema has a bad name, a bad type or a duplicate. */
export function assertValidSchema(schema: AdxTableSchema): void {
  assertEntityName(schema.table, 'Table name');
  if (schema.columns.length === 0) {
    throw new RangeError(`Table ${schema.table} has no columns; give it at least one`);
  }
  const seen = new Set<string>();
  for (const column of schema.columns) {
    assertEntityName(column.name, `Column name in table ${schema.table}:`);
    if (!ADX_COLUMN_TYPES.has(column.type)) {
      throw new RangeError(
        `Column ${schema.table}.${column.name} has type ${JSON.stringify(column.type)}; ` +
          `use one of ${[...ADX_COLUMN_TYPES].join(', ')}`,
      );
    }
    if (seen.has(column.name)) {
      throw new RangeError(`Column ${schema.table}.${column.name} is declared twice`);
    }
    seen.add(column.name);
  }
}
