/**
 * Topic helpers of the Kafka side-by-side bench (bench/kafka.ts): filling the input, following a consumer
 * group's committed offsets, and reading a topic back.
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import { benchEvents } from './kafka-bench-data.js';

/**
 * Produces bench records 0 .. count-1 (from `firstEventMs`) to `topic` in order, one batch at a time:
 * batches sent concurrently could land out of order in a partition, and their records would then be
 * later than the windows' grace.
 */
export async function produceBenchInput(
  producer: Producer,
  topic: string,
  firstEventMs: number,
  count: number,
): Promise<void> {
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    const messages = [];
    for (const { key, value } of benchEvents(firstEventMs, from, Math.min(batch, count - from))) {
      messages.push({ key, value: JSON.stringify(value), timestamp: String(value.ts) });
    }
    await producer.send({ topic, acks: -1, messages });
  }
}

/** Sum over partitions of the offsets `groupId` committed on `topic` (0 before its first commit). */
export async function committedTotal(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  let total = 0;
  for (const p of offsets?.partitions ?? []) total += Math.max(0, Number(p.offset));
  return total;
}

/** Records in `topic` now: the sum of its partitions' end offsets (its topics start empty). */
export async function topicSize(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/**
 * Reads `topic` from the beginning until `expected` records were seen or nothing came for `quietMs`,
 * and returns the last value per key (decimal counts): the final window counts a peer wrote.
 */
export async function readFinalCounts(
  kafka: Kafka,
  topic: string,
  expected: number,
  quietMs = 5000,
): Promise<{ counts: Map<string, number>; records: number }> {
  const counts = new Map<string, number>();
  let records = 0;
  let lastAt = Date.now();
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        counts.set(m.key?.toString('utf8') ?? '', Number(m.value?.toString('utf8')));
        records++;
      }
      lastAt = Date.now();
    },
  });
  while (records < expected && Date.now() - lastAt < quietMs) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return { counts, records };
}
