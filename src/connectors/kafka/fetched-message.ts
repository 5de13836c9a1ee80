import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { FetchedMessage } from '../../runtime/kafka/client-port.js';
import type { RecordHeaders } from '../../runtime/record.js';

/** kafkajs' message headers as RecordHeaders: one value per name, the last one when a name repeats. */
export function toHeaders(headers: IHeaders | undefined): RecordHeaders {
  const out: RecordHeaders = {};
  if (!headers) return out;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last;
  }
  return out;
}

/** A message kafkajs fetched, as the runtime takes it (offsets and timestamps as numbers). */
export function toFetched(m: KafkaMessage): FetchedMessage {
  return {
    key: m.key,
    value: m.value,
    timestamp: Number(m.timestamp),
    offset: Number(m.offset),
    headers: toHeaders(m.headers),
  };
}
