import { DEAD_LETTER_HEADERS } from '../error-policy.js';
import { TributaryError } from '../errors.js';
import type { OutgoingMessage, PartitionOffset, ProducerPort } from './client-port.js';
import { addCount, type Counters } from './engine-counters.js';
import type { KafkaMetrics } from './kafka-metrics.js';

/**
 * Sends messages with a producer and counts them (records.out, dead letters by door). Send
 * failures become errors that say what to check.
 */
export class OutputSender {
  constructor(
    private readonly counters: Counters,
    private readonly prometheus: KafkaMetrics,
    private readonly deadLetterTopic: string,
  ) {}

  /**
   * Sends `messages` in chunks (see MAX_MESSAGES_PER_SEND), one after the other so each partition
   * keeps its order, and waits for the acknowledgements; returns the positions written (see
   * ProducerPort.send), the last one per partition.
   */
  async send(producer: ProducerPort, messages: OutgoingMessage[]): Promise<PartitionOffset[]> {
    if (messages.length === 0) return [];
    const last = new Map<string, PartitionOffset>();
    try {
      await inChunks(messages, async (chunk) => {
        for (const p of await producer.send(chunk)) last.set(`${p.topic}:${p.partition}`, p);
      });
    } catch (error) {
      throw sendFailure(messages.length, error);
    }
    this.count(messages);
    return [...last.values()];
  }

  /** Counts messages sent some other way (inside a transaction). */
  count(messages: readonly OutgoingMessage[]): void {
    addCount(this.counters, 'records.out', messages.length);
    this.prometheus.recordOut(messages.length);
    for (const m of messages) {
      if (m.topic !== this.deadLetterTopic) continue;
      const door = String(m.headers?.[DEAD_LETTER_HEADERS.door] ?? 'processing');
      if (door === 'deserialization' || door === 'processing' || door === 'production')
        this.prometheus.recordDeadLetters(door, 1);
    }
  }
}

/**
 * The most messages handed to the client in one send. kafkajs groups a send's messages by
 * partition by copying the partition's list for every message (quadratic): a 20,000-message send
 * spent most of the engine's CPU there. Chunks keep that cost linear.
 */
export const MAX_MESSAGES_PER_SEND = 1000;

/** Calls `send` with consecutive chunks of at most MAX_MESSAGES_PER_SEND messages, in order. */
export async function inChunks(
  messages: readonly OutgoingMessage[],
  send: (chunk: readonly OutgoingMessage[]) => Promise<void>,
): Promise<void> {
  if (messages.length <= MAX_MESSAGES_PER_SEND) return send(messages);
  for (let i = 0; i < messages.length; i += MAX_MESSAGES_PER_SEND)
    await send(messages.slice(i, i + MAX_MESSAGES_PER_SEND));
}

/** The error of a failed produce of `count` records. */
export function sendFailure(count: number, error: unknown): TributaryError {
  return new TributaryError(
    `Producing ${count} records to Kafka failed: ${(error as Error).message}. ` +
      'Check that the brokers are reachable and the topics exist.',
    { cause: error },
  );
}
