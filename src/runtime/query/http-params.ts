/** Query-string parsing for the query server: every bad input becomes a BadRequestError (HTTP 400). */

/** A request the server cannot answer as asked; the message says what to send instead. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/** How keys in paths and parameters are read: as plain strings, or as JSON (numbers, objects...). */
export type KeyFormat = 'string' | 'json';

/** Reads `keyFormat` (default 'string'). */
export function keyFormatOf(params: URLSearchParams): KeyFormat {
  const format = params.get('keyFormat') ?? 'string';
  if (format !== 'string' && format !== 'json')
    throw new BadRequestError(`keyFormat must be "string" or "json", not "${format}".`);
  return format;
}

/** A key as the store holds it: the text itself, or the JSON value it spells. */
export function parseKey(text: string, format: KeyFormat, what = 'key'): unknown {
  if (format === 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError(`${what} "${text}" is not valid JSON (keyFormat=json).`);
  }
}

/** A required parameter. */
export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null) throw new BadRequestError(`Missing query parameter "${name}".`);
  return value;
}

/** A time in epoch ms: an integer, or an ISO 8601 date. `fallback` when absent. */
export function timeParam(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null || text === '') return fallback;
  const value = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(value))
    throw new BadRequestError(`"${name}" must be epoch milliseconds or an ISO 8601 date, not "${text}".`);
  return value;
}

/** `limit`: 1..max, default max. */
export function limitParam(params: URLSearchParams, max: number): number {
  const text = params.get('limit');
  if (text === null) return max;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new BadRequestError(`"limit" must be an integer from 1 to ${max}, not "${text}".`);
  return value;
}

/** Checks from <= to. */
export function checkOrder(from: number, to: number): void {
  if (from > to) throw new BadRequestError(`"from" (${from}) is after "to" (${to}).`);
}

/** Takes at most `limit` items; `truncated` says whether more were there. */
export function take<T>(items: Iterable<T>, limit: number): { entries: T[]; truncated: boolean } {
  const entries: T[] = [];
  for (const item of items) {
    if (entries.length === limit) return { entries, truncated: true };
    entries.push(item);
  }
  return { entries, truncated: false };
}
