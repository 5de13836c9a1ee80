/**
 * Converts JavaScript values to what a DuckDB column of a given type takes. One conversion per
 * value, no intermediate objects except where DuckDB needs one (timestamps).
 */
import { DuckDBTimestampValue } from '@duckdb/node-api';
import type { DuckDbColumnType } from './columns.js';

/** A value ready for DuckDB: null, or the primitive the column's append/bind call takes. */
export type DuckDbCell = null | boolean | number | bigint | string | Uint8Array | DuckDBTimestampValue;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Thrown when a value does not fit its column; the sink wraps it with the table and record. */
export class ColumnValueError extends TypeError {
  override readonly name = 'ColumnValueError';
}

/** Converts `value` for a column of `type`, or throws a ColumnValueError that says why. */
export function toCell(type: DuckDbColumnType, value: unknown): DuckDbCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      break;
    case 'INTEGER':
      if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
        return value;
      }
      if (typeof value === 'bigint' && value >= INT32_MIN && value <= INT32_MAX) return Number(value);
      break;
    case 'BIGINT':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      break;
    case 'DOUBLE':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      break;
    case 'VARCHAR':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
        return String(value);
      }
      if (value instanceof Date) return value.toISOString();
      return toJson(value);
    case 'JSON':
      return toJson(value);
    case 'TIMESTAMP': {
      const millis = toEpochMillis(value);
      if (millis !== undefined) return new DuckDBTimestampValue(BigInt(Math.round(millis * 1000)));
      break;
    }
    case 'BLOB':
      if (value instanceof Uint8Array) return value;
      break;
  }
  throw new ColumnValueError(`${describe(value)} does not fit a ${type} column`);
}

/** Epoch milliseconds from a Date, a number (epoch ms) or an ISO-8601 string; undefined otherwise. */
function toEpochMillis(value: unknown): number | undefined {
  let millis: number | undefined;
  if (value instanceof Date) millis = value.getTime();
  else if (typeof value === 'number') millis = value;
  else if (typeof value === 'bigint') millis = Number(value);
  else if (typeof value === 'string') millis = Date.parse(value);
  return millis !== undefined && Number.isFinite(millis) ? millis : undefined;
}

/** JSON text; bigints become decimal strings (JSON has no 64-bit integers). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** A short description of a value for error messages (type and a bounded preview). */
function describe(value: unknown): string {
  const kind = value instanceof Date ? 'Date' : Array.isArray(value) ? 'array' : typeof value;
  let preview: string;
  try {
    preview = typeof value === 'string' ? JSON.stringify(value) : String(toJson(value) ?? value);
  } catch {
    preview = String(value);
  }
  return `the ${kind} value ${preview.length > 80 ? `${preview.slice(0, 77)}...` : preview}`;
}
