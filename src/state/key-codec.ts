/**
 * The default KeyCodec and the order every store sorts keys in.
 *
 * Strings and numbers are their own encoded form (no work on the hot path). Anything else is
 * encoded as stable JSON (object keys sorted) behind a NUL marker, so `decode` can tell it from
 * a plain string. The rare plain string that itself starts with NUL gets one more NUL in front.
 */
import type { KeyCodec } from './store.js';

/** An encoded key: what stores hash, compare and write to disk. */
export type EncodedKey = string | number;

/** Marks an encoded key that is JSON (or an escaped NUL-leading string). */
const MARKER = '\u0000';

/**
 * Orders encoded keys: numbers before strings, numbers numerically, strings by UTF-16 code unit
 * (the order of JavaScript's `<`). Returns a negative number, zero or a positive number.
 */
export function compareEncodedKeys(a: EncodedKey, b: EncodedKey): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    return -1;
  }
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * JSON with object keys in sorted order, so equal plain values always give the same text.
 * Throws for values JSON cannot represent faithfully (undefined, functions, symbols, bigints,
 * non-finite numbers).
 */
export function stableStringify(value: unknown): string {
  return stringifyPart(value, 'key');
}

function stringifyPart(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw keyError(path, `the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => stringifyPart(item, `${path}[${i}]`)).join(',')}]`;
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return stringifyPart(toJSON.call(value), path);
      const record = value as Record<string, unknown>;
      const names = Object.keys(record)
        .filter((name) => record[name] !== undefined)
        .sort();
      const parts = names.map(
        (name) => `${JSON.stringify(name)}:${stringifyPart(record[name], `${path}.${name}`)}`,
      );
      return `{${parts.join(',')}}`;
    }
    default:
      throw keyError(path, `a value of type ${typeof value}`);
  }
}

function keyError(path: string, what: string): TypeError {
  return new TypeError(
    `cannot use ${what} at ${path} in a state store key: keys must be strings, finite numbers, ` +
      'booleans, null, or arrays and plain objects of those',
  );
}

/**
 * Encodes one key with the default rules. Exposed for stores that keep the codec inline on
 * their hot path; most code should call `defaultKeyCodec().encode`.
 */
export function encodeDefaultKey(key: unknown): EncodedKey {
  if (typeof key === 'string') return key.length > 0 && key.charCodeAt(0) === 0 ? MARKER + key : key;
  if (typeof key === 'number') {
    if (Number.isNaN(key)) throw keyError('key', 'NaN');
    return key + 0; // folds -0 into 0, as Map does, so memory and disk agree
  }
  return MARKER + stableStringify(key);
}

/** Inverse of encodeDefaultKey. */
export function decodeDefaultKey(encoded: EncodedKey): unknown {
  if (typeof encoded === 'number') return encoded;
  if (encoded.length === 0 || encoded.charCodeAt(0) !== 0) return encoded;
  if (encoded.length > 1 && encoded.charCodeAt(1) === 0) return encoded.slice(1);
  return JSON.parse(encoded.slice(1));
}

const DEFAULT_CODEC: KeyCodec<unknown> = { encode: encodeDefaultKey, decode: decodeDefaultKey };

/**
 * The default KeyCodec: strings and numbers as they are; booleans, null, arrays and plain
 * objects as stable JSON (object keys sorted), so `{ a: 1, b: 2 }` and `{ b: 2, a: 1 }` are the
 * same key. Decoding gives back an equal value (a fresh object for JSON-encoded keys).
 */
export function defaultKeyCodec<K>(): KeyCodec<K> {
  return DEFAULT_CODEC as KeyCodec<K>;
}
