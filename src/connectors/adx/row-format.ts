/**
 * Turns row objects into the text ADX ingests: one JSON document per line ("json" / "multijson")
 * or one CSV line with fields in a fixed column order ("csv").
 */

/** One row for an ADX table: column (or JSON property) name to value. */
export type AdxRow = Readonly<Record<string, unknown>>;

/** The data formats the sink writes. "json" is JSON lines; "multijson" accepts the same text. */
export type AdxDataFormat = 'json' | 'multijson' | 'csv';

/** Encodes one row as one line of text, without the line break. Throws when it cannot. */
export type RowEncoder = (row: AdxRow) => string;

/**
 * JSON encoder. Dates become ISO strings (ADX parses them as datetime). BigInts become decimal
 * strings (ADX parses those into long or decimal columns); the replacer that does this is only
 * used for rows that need it, so common rows take the fast path.
 */
export function jsonRowEncoder(): RowEncoder {
  return (row) => {
    let text: string | undefined;
    try {
      text = JSON.stringify(row);
    } catch (error) {
      if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
      text = JSON.stringify(row, bigIntAsString);
    }
    if (text === undefined || text[0] !== '{') {
      throw new TypeError(`An ADX row must be a plain object, got ${describe(row)}`);
    }
    return text;
  };
}

/**
 * CSV encoder (RFC 4180 quoting): fields in `columns` order; missing, null or undefined values
 * become empty fields; Dates become ISO strings; objects and arrays become JSON (for dynamic
 * columns).
 */
export function csvRowEncoder(columns: ReadonlyArray<string>): RowEncoder {
  if (columns.length === 0) throw new RangeError('CSV rows need at least one column in csvColumns');
  return (row) => {
    if (row === null || typeof row !== 'object') {
      throw new TypeError(`An ADX row must be a plain object, got ${describe(row)}`);
    }
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += ',';
      line += csvField(row[columns[i]!]);
    }
    return line;
  };
}

/** One CSV field: quoted when it holds a comma, quote, line break or edge whitespace. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  } else if (value instanceof Date) return value.toISOString();
  else text = JSON.stringify(value, bigIntAsString) ?? '';
  if (/[",\r\n]/.test(text) || text.trim() !== text) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function bigIntAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
