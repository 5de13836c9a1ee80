/**
 * Topic set-up and reading for the Kafka runtime tests: plain kafkajs, outside the library.
 * Each function talks to the suite's broker unless given the client of another one (fault tests).
 */
import type { Kafka } from 'kafkajs';
import { waitForLeaders } from '../../../src/connectors/kafka/topic-leaders.js';
import { testKafka, uniqueName } from '../../helpers/kafka.js';

/** Creates a topic with `partitions` partitions and returns its (unique) name. */
export async function createTopic(
  prefix: string,
  partitions: number,
  kafka: Kafka = testKafka(),
): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false });
    // kafkajs' own wait gives up on the first "unknown topic" answer of a broker not yet told of it.
    await waitForLeaders(admin, [topic]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** A record to produce: strings, or raw bytes for records a serde must reject. */
export interface TestMessage {
  key: string | null;
  value: string | Buffer | null;
  timestamp: number;
  partition?: number;
}

/** Produces `messages` in order (acks = all). */
export async function produce(
  topic: string,
  messages: readonly TestMessage[],
  kafka: Kafka = testKafka(),
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: m.value,
        timestamp: String(m.timestamp),
        ...(m.partition !== undefined ? { partition: m.partition } : {}),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** A record read back, with its headers as strings. */
export interface ReadRecord {
  key: string | null;
  value: string | null;
  partition: number;
  offset: number;
  timestamp: number;
  headers: Record<string, string>;
}

/**
 * Reads `topic` from the beginning until `done(records)` is true or `timeoutMs` passes, and
 * returns what was read (in partition order per partition).
 */
export async function readTopic(
  topic: string,
  done: (records: ReadRecord[]) => boolean,
  timeoutMs = 30_000,
  kafka: Kafka = testKafka(),
): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish!: () => void;
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        records.push({
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          partition,
          offset: Number(message.offset),
          timestamp: Number(message.timestamp),
          headers,
        });
        if (done(records)) finish();
      },
    });
    const timer = setTimeout(finish, timeoutMs);
    await finished;
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * A base event time one hour ago, on a minute boundary: recent enough that the broker's retention
 * (by record timestamp) keeps the records for the test's length.
 */
export function recentBase(): number {
  return Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
}
