/**
 * Smoke tests against the real Apache Kafka broker started by the global setup:
 * the broker, kafkajs and our scripts agree on topics, groups and transactions.
 */
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka, uniqueName } from '../helpers/kafka.js';

interface Seen {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/** Consumes until `done(seen)` is true or the timeout passes; always disconnects. */
async function consumeUntil(
  consumer: Consumer,
  topic: string,
  done: (seen: Seen[]) => boolean,
  timeoutMs = 30_000,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out with ${seen.length} records from ${topic}`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }: EachMessagePayload) => {
            seen.push({
              partition,
              offset: Number(message.offset),
              key: message.key?.toString() ?? '',
              value: message.value?.toString() ?? '',
            });
            if (done(seen)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('real Kafka broker', () => {
  let kafka: Kafka;
  const admin = () => kafka.admin();

  beforeAll(() => {
    kafka = testKafka('smoke');
  });

  afterAll(async () => {});

  it('round-trips 10,000 keyed records through a 3-partition topic in a consumer group', async () => {
    const topic = uniqueName('smoke-keyed');
    const a = admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const meta = await a.fetchTopicMetadata({ topics: [topic] });
    await a.disconnect();
    expect(meta.topics[0]?.partitions).toHaveLength(3);

    const total = 10_000;
    const keys = 50;
    const producer = kafka.producer();
    await producer.connect();
    for (let start = 0; start < total; start += 1000) {
      const messages = [];
      for (let i = start; i < start + 1000; i++) {
        messages.push({ key: `key-${i % keys}`, value: String(i) });
      }
      await producer.send({ topic, messages });
    }
    await producer.disconnect();

    const seen = await consumeUntil(
      kafka.consumer({ groupId: uniqueName('smoke-group') }),
      topic,
      (s) => s.length >= total,
    );

    expect(seen).toHaveLength(total);
    // Every record arrives once with its key intact.
    const values = new Set(seen.map((r) => r.value));
    expect(values.size).toBe(total);
    for (const r of seen) expect(r.key).toBe(`key-${Number(r.value) % keys}`);
    // One key, one partition; the records of a partition arrive in the order they were produced.
    const partitionOfKey = new Map<string, number>();
    const lastValueOf = new Map<number, number>();
    for (const r of seen) {
      const known = partitionOfKey.get(r.key);
      if (known === undefined) partitionOfKey.set(r.key, r.partition);
      else expect(r.partition).toBe(known);
      const previous = lastValueOf.get(r.partition) ?? -1;
      expect(Number(r.value)).toBeGreaterThan(previous);
      lastValueOf.set(r.partition, Number(r.value));
    }
    // Keys spread over all three partitions.
    expect(new Set(partitionOfKey.values()).size).toBe(3);
  });

  it('commits produced records and consumed offsets in one transaction (sendOffsets)', async () => {
    const input = uniqueName('tx-in');
    const output = uniqueName('tx-out');
    const groupId = uniqueName('tx-group');
    const a = admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic: input }, { topic: output }], waitForLeaders: true });

    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: input, messages: [1, 2, 3].map((n) => ({ key: 'k', value: `in-${n}` })) });
    await plain.disconnect();

    // Read the input as a processor would, without auto-commit.
    const consumer = kafka.consumer({ groupId });
    const inputs = await consumeUntil(consumer, input, (s) => s.length >= 3);
    expect(inputs.map((r) => r.value)).toEqual(['in-1', 'in-2', 'in-3']);

    const producer = kafka.producer({
      transactionalId: uniqueName('tx-id'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({
      topic: output,
      messages: inputs.map((r) => ({ key: r.key, value: r.value.replace('in', 'out') })),
    });
    await tx.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }],
    });
    await tx.commit();
    await producer.disconnect();

    const committed = await a.fetchOffsets({ groupId, topics: [input] });
    await a.disconnect();
    expect(committed[0]?.partitions[0]?.offset).toBe('3');

    const outputs = await consumeUntil(
      kafka.consumer({ groupId: uniqueName('tx-reader') }),
      output,
      (s) => s.length >= 3,
    );
    expect(outputs.map((r) => r.value)).toEqual(['out-1', 'out-2', 'out-3']);
  });

  it('hides an aborted transaction from read_committed consumers', async () => {
    const topic = uniqueName('tx-abort');
    const a = admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic }], waitForLeaders: true });
    await a.disconnect();

    const producer = kafka.producer({
      transactionalId: uniqueName('tx-abort-id'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed-1' }] });
    await committed.commit();
    await producer.disconnect();

    // The committed record comes after the aborted ones, so reaching it proves the reader saw past them.
    const readCommitted = await consumeUntil(kafka.consumer({ groupId: uniqueName('rc') }), topic, (s) =>
      s.some((r) => r.value === 'committed-1'),
    );
    expect(readCommitted.map((r) => r.value)).toEqual(['committed-1']);

    // The aborted records are physically in the log: a read_uncommitted reader sees them.
    const readUncommitted = await consumeUntil(
      kafka.consumer({ groupId: uniqueName('ru'), readUncommitted: true }),
      topic,
      (s) => s.some((r) => r.value === 'committed-1'),
    );
    expect(readUncommitted.map((r) => r.value)).toEqual(['aborted-1', 'aborted-2', 'committed-1']);
  });
});
