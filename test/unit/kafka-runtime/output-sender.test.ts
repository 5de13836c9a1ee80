import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type {
  OutgoingMessage,
  PartitionOffset,
  ProducerPort,
} from '../../../src/runtime/kafka/client-port.js';
import { KafkaMetrics } from '../../../src/runtime/kafka/kafka-metrics.js';
import { MAX_MESSAGES_PER_SEND, OutputSender } from '../../../src/runtime/kafka/output-sender.js';

/** A producer that records each send and answers like the kafkajs adapter (offset after the last record). */
function recordingProducer() {
  const sends: OutgoingMessage[][] = [];
  const ends = new Map<string, number>();
  const producer: ProducerPort = {
    connect: async () => {},
    disconnect: async () => {},
    transaction: async () => {
      throw new Error('not transactional');
    },
    send: async (messages) => {
      sends.push([...messages]);
      const written: PartitionOffset[] = [];
      for (const m of messages) {
        const id = `${m.topic}:${m.partition}`;
        ends.set(id, (ends.get(id) ?? 0) + 1);
      }
      for (const [id, offset] of ends) {
        const [topic, partition] = id.split(':');
        written.push({ topic: topic!, partition: Number(partition), offset });
      }
      return written;
    },
  };
  return { producer, sends };
}

const message = (i: number): OutgoingMessage => ({
  topic: 't',
  partition: i % 3,
  key: null,
  value: Buffer.from(String(i)),
});

describe('OutputSender', () => {
  it('sends large outputs in order, in chunks of at most MAX_MESSAGES_PER_SEND', async () => {
    const counters = new Map<string, number>();
    const sender = new OutputSender(counters, new KafkaMetrics('app', new Registry()), 'dlq');
    const { producer, sends } = recordingProducer();
    const total = MAX_MESSAGES_PER_SEND * 2 + 7;
    const messages = Array.from({ length: total }, (_, i) => message(i));

    const written = await sender.send(producer, messages);

    expect(sends.map((s) => s.length)).toEqual([MAX_MESSAGES_PER_SEND, MAX_MESSAGES_PER_SEND, 7]);
    expect(sends.flat().map((m) => m.value!.toString())).toEqual(messages.map((m) => m.value!.toString()));
    // One position per partition: the end after the last chunk.
    expect(written.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual([
      Math.ceil(total / 3),
      Math.ceil((total - 1) / 3),
      Math.ceil((total - 2) / 3),
    ]);
    expect(counters.get('records.out')).toBe(total);
  });

  it('sends a small output in one call', async () => {
    const sender = new OutputSender(new Map(), new KafkaMetrics('app', new Registry()), 'dlq');
    const { producer, sends } = recordingProducer();
    await sender.send(producer, [message(1), message(2)]);
    expect(sends.map((s) => s.length)).toEqual([2]);
  });
});
