import { DEAD_LETTER_HEADERS } from '../error-policy.js';
import type { RecordHeaders, StreamRecord } from '../record.js';

/** Headers of a dead-letter record: the error and where the record came from. */
export function deadLetterHeaders(
  record: StreamRecord<unknown, unknown>,
  node: string,
  error: Error,
  door: 'processing' | 'deserialization' | 'production',
): RecordHeaders {
  const headers: RecordHeaders = { ...(record.headers ?? {}) };
  headers[DEAD_LETTER_HEADERS.error] = error?.message ?? String(error);
  headers[DEAD_LETTER_HEADERS.errorClass] = error?.name ?? 'Error';
  headers[DEAD_LETTER_HEADERS.door] = door;
  headers[DEAD_LETTER_HEADERS.node] = node;
  headers[DEAD_LETTER_HEADERS.timestamp] = String(record.timestamp);
  if (record.origin) {
    headers[DEAD_LETTER_HEADERS.topic] = record.origin.topic;
    headers[DEAD_LETTER_HEADERS.partition] = String(record.origin.partition);
    headers[DEAD_LETTER_HEADERS.offset] = String(record.origin.offset);
  }
  return headers;
}
