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

  /** Sends `messages` and waits for the acknowledgement; returns the positions written (see ProducerPort.send). */
  async send(producer: ProducerPort, messages: OutgoingMessage[]): Promise<PartitionOffset[]> {
    if (messages.length === 0) return [];
    let written: PartitionOffset[];
    try {
      written = await producer.send(messages);
    } catch (error) {
      throw sendFailure(messages.length, error);
    }
    this.count(messages);
    return written;
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

/** The error of a failed produce of `count` records. */
export function sendFailure(count: number, error: unknown): TributaryError {
  return new TributaryError(
    `Producing ${count} records to Kafka failed: ${(error as Error).message}. ` +
      'Check that the brokers are reachable and the topics exist.',
    { cause: error },
  );
}
