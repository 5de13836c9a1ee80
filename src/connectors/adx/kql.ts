/**
 * Pure builders for the ADX management commands that prepare a table for the sink. They only
 * produce text; `ensureAdxTable` runs them. Names are validated first (see schema.ts) and always
 * bracket-quoted, so a column called `time` or `bytes` cannot collide with a KQL keyword.
 */
import { type AdxColumn, type AdxTableSchema, assertEntityName, assertValidSchema } from './schema.js';

/** Quotes an entity name as `['name']`, valid for any name that passes `assertEntityName`. */
export function quoteName(name: string): string {
  return `['${escapeKqlString(name)}']`;
}

/**
 * Escapes text for a KQL string literal delimited by `quote` (single by default): backslash,
 * that quote character, and control characters get backslash escapes; the other quote is kept
 * as is, so JSON inside a single-quoted literal stays readable.
 */
export function escapeKqlString(text: string, quote: "'" | '"' = "'"): string {
  return text.replace(/[\\'"\n\r\t]/g, (c) =>
    c === "'" || c === '"' ? (c === quote ? `\\${c}` : c) : KQL_ESCAPES[c]!,
  );
}

const KQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** `.create-merge table`: creates the table, or adds missing columns; never drops or retypes. */
export function createMergeTableCommand(schema: AdxTableSchema): string {
  assertValidSchema(schema);
  const columns = schema.columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(', ');
  return `.create-merge table ${quoteName(schema.table)} (${columns})`;
}

/** The JSON path a JSON mapping reads a column from: its `path`, else the property of the same name. */
export function jsonPathOf(column: AdxColumn): string {
  if (column.path !== undefined) return column.path;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(column.name) ? `$.${column.name}` : `$['${column.name}']`;
}

/**
 * `.create-or-alter table T ingestion json mapping "M" '[...]'`: one entry per column, reading
 * `jsonPathOf(column)`. The JSON text is embedded as a single-quoted KQL string literal.
 */
export function createJsonMappingCommand(schema: AdxTableSchema, mappingName: string): string {
  assertValidSchema(schema);
  assertEntityName(mappingName, 'Mapping name');
  const entries = schema.columns.map((c) => ({ column: c.name, Properties: { Path: jsonPathOf(c) } }));
  return mappingCommand(schema.table, 'json', mappingName, entries);
}

/** `.create-or-alter table T ingestion csv mapping "M" '[...]'`: column i reads CSV field i. */
export function createCsvMappingCommand(schema: AdxTableSchema, mappingName: string): string {
  assertValidSchema(schema);
  assertEntityName(mappingName, 'Mapping name');
  const entries = schema.columns.map((c, i) => ({ column: c.name, Properties: { Ordinal: String(i) } }));
  return mappingCommand(schema.table, 'csv', mappingName, entries);
}

/** `.alter table T policy streamingingestion enable`: needed before streaming ingestion into T. */
export function enableStreamingIngestionCommand(table: string): string {
  assertEntityName(table, 'Table name');
  return `.alter table ${quoteName(table)} policy streamingingestion enable`;
}

function mappingCommand(table: string, kind: 'json' | 'csv', mappingName: string, entries: object[]): string {
  const json = JSON.stringify(entries);
  return (
    `.create-or-alter table ${quoteName(table)} ingestion ${kind} mapping ` +
    `"${escapeKqlString(mappingName, '"')}" '${escapeKqlString(json)}'`
  );
}
