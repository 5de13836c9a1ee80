/**
 * Turns fetched bytes into records and records into bytes with the topology's serdes. Async
 * serdes (Avro with a registry) are awaited once per batch, never per record on the hot path.
 */
import { Packr } from 'msgpackr';
import type { StreamRecord } from '../record.js';
import { type AnySerde, jsonSerde, type Serde } from '../serde.js';
import type { FetchedBatch, FetchedMessage, OutgoingMessage } from './client-port.js';

// moreTypes: without it msgpackr writes typed arrays (HyperLogLog registers, digests) as wrong bytes.
const internalPackr = new Packr({ moreTypes: true, useRecords: false });

/** Serde of internal topics (repartition, changelog): msgpack that keeps typed arrays, Maps and Dates. */
export const internalSerde: Serde<unknown> = {
  serialize: (value) => internalPackr.pack(value),
  deserialize: (data) => (data === null ? null : internalPackr.unpack(data)),
};

/** The serdes of one topic. */
export interface TopicSerdes {
  readonly key: AnySerde<unknown>;
  readonly value: AnySerde<unknown>;
}

/** JSON for keys and values: the default of user topics that declare no serde. */
export const defaultTopicSerdes: TopicSerdes = { key: jsonSerde<unknown>(), value: jsonSerde<unknown>() };

/** A record whose bytes could not be read, with the reason. */
export interface DecodeFailure {
  readonly message: FetchedMessage;
  readonly error: Error;
}

/** A record that could not be turned into bytes, with the reason. */
export interface EncodeFailure {
  readonly record: StreamRecord<unknown, unknown>;
  readonly error: Error;
}

function isPromise(x: unknown): x is Promise<unknown> {
  return typeof (x as Promise<unknown> | null)?.then === 'function';
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Deserializes a batch; records that fail are returned apart (the deserialization door decides). */
export async function decodeBatch(
  batch: FetchedBatch,
  serdes: TopicSerdes,
): Promise<{ records: StreamRecord<unknown, unknown>[]; failures: DecodeFailure[] }> {
  const { topic, partition, messages } = batch;
  const keys: unknown[] = new Array(messages.length);
  const values: unknown[] = new Array(messages.length);
  const errors: (Error | undefined)[] = new Array(messages.length);
  let async = false;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    try {
      keys[i] = serdes.key.deserialize(m.key, topic);
      values[i] = serdes.value.deserialize(m.value, topic);
      if (isPromise(keys[i]) || isPromise(values[i])) async = true;
    } catch (error) {
      errors[i] = asError(error);
    }
  }
  if (async) {
    const settle = async (list: unknown[]) => {
      const settled = await Promise.allSettled(list);
      settled.forEach((s, i) => {
        if (s.status === 'fulfilled') list[i] = s.value;
        else errors[i] ??= asError(s.reason);
      });
    };
    await Promise.all([settle(keys), settle(values)]);
  }
  const records: StreamRecord<unknown, unknown>[] = [];
  const failures: DecodeFailure[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const error = errors[i];
    if (error) {
      failures.push({ message: m, error });
      continue;
    }
    records.push({
      key: keys[i],
      value: values[i],
      timestamp: m.timestamp,
      headers: m.headers,
      origin: { topic, partition, offset: m.offset },
    });
  }
  return { records, failures };
}

/** Serializes records for `topic`; records that fail are returned apart (the production door decides). */
export async function encodeRecords(
  records: readonly StreamRecord<unknown, unknown>[],
  topic: string,
  serdes: TopicSerdes,
  partitionOf?: (record: StreamRecord<unknown, unknown>) => number | undefined,
): Promise<{ messages: OutgoingMessage[]; failures: EncodeFailure[] }> {
  const keys: unknown[] = new Array(records.length);
  const values: unknown[] = new Array(records.length);
  const errors: (Error | undefined)[] = new Array(records.length);
  let async = false;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    try {
      keys[i] = serdes.key.serialize(r.key, topic);
      values[i] = serdes.value.serialize(r.value, topic);
      if (isPromise(keys[i]) || isPromise(values[i])) async = true;
    } catch (error) {
      errors[i] = asError(error);
    }
  }
  if (async) {
    await Promise.all(
      [keys, values].map(async (list) => {
        const settled = await Promise.allSettled(list);
        settled.forEach((s, i) => {
          if (s.status === 'fulfilled') list[i] = s.value;
          else errors[i] ??= asError(s.reason);
        });
      }),
    );
  }
  const messages: OutgoingMessage[] = [];
  const failures: EncodeFailure[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const error = errors[i];
    if (error) {
      failures.push({ record: r, error });
      continue;
    }
    messages.push({
      topic,
      partition: partitionOf?.(r),
      key: keys[i] as Buffer | null,
      value: values[i] as Buffer | null,
      timestamp: r.timestamp,
      headers: r.headers,
    });
  }
  return { messages, failures };
}
