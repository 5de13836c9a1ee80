import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { FetchedBatch, PartitionReaderPort } from '../../runtime/kafka/client-port.js';
import { toFetched } from './fetched-message.js';

/**
 * kafkajs has no group-less consumer, so a read runs a consumer in a throwaway group that never
 * commits, seeks each partition to its start and stops when every partition reached its end.
 */
export class KafkajsReader implements PartitionReaderPort {
  constructor(private readonly kafka: Kafka) {}

  async read(
    ranges: readonly { topic: string; partition: number; from: number; to: number }[],
    onBatch: (batch: FetchedBatch) => void,
  ): Promise<void> {
    const todo = ranges.filter((r) => r.to > r.from);
    if (todo.length === 0) return;
    const remaining = new Map(todo.map((r) => [`${r.topic}:${r.partition}`, r]));
    const consumer = this.kafka.consumer({
      groupId: `tributary-restore-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    let finish!: () => void;
    let failed!: (e: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      failed = reject;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...new Set(todo.map((r) => r.topic))], fromBeginning: true });
      const seekAll = () => {
        for (const r of todo)
          consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.from) });
      };
      consumer.on(consumer.events.GROUP_JOIN, () => seekAll());
      consumer.on(consumer.events.CRASH, (e) => failed(e.payload.error));
      // The end is judged on the batch's last offset, markers and aborted records included: a
      // transactional changelog ends with a commit marker, not with a record. kafkajs reports
      // fetches holding only those (no eachBatch call) through this event too.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const id = `${payload.topic}:${payload.partition}`;
        const range = remaining.get(id);
        if (!range || payload.lastOffset === null || Number(payload.lastOffset) < range.to - 1) return;
        remaining.delete(id);
        if (remaining.size === 0) finish();
      });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = remaining.get(`${batch.topic}:${batch.partition}`);
          if (!range) return;
          const messages = batch.messages
            .map(toFetched)
            .filter((m) => m.offset >= range.from && m.offset < range.to);
          if (messages.length > 0) onBatch({ topic: batch.topic, partition: batch.partition, messages });
        },
      });
      await done;
    } finally {
      await consumer.disconnect().catch(() => {});
    }
  }
}
