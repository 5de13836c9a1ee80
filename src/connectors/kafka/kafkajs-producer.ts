import type { Producer, Transaction } from 'kafkajs';
import type {
  OutgoingMessage,
  PartitionOffset,
  ProducerPort,
  TransactionPort,
} from '../../runtime/kafka/client-port.js';
import { ProducerFencedError } from '../../runtime/kafka/transaction-failure.js';
import { byTopic, type PartitionCounts, sendCompletely } from './complete-send.js';

function offsetsByTopic(offsets: readonly PartitionOffset[]) {
  const grouped = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    const list = grouped.get(o.topic) ?? [];
    list.push({ partition: o.partition, offset: String(o.offset) });
    grouped.set(o.topic, list);
  }
  return [...grouped].map(([topic, partitions]) => ({ topic, partitions }));
}

/** Error types (and codes) by which brokers say a transactional producer was fenced. */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const FENCED_CODES = new Set([47, 90]);

/** True when `error` (or an error it wraps) says the producer was fenced by a newer one. */
export function isProducerFenced(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (FENCED_TYPES.has(String(e.type)) || FENCED_CODES.has(Number(e.code))) return true;
    if (typeof e.message === 'string' && /fenced|producer epoch/i.test(e.message)) return true;
    e = (e.originalError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}

/** A kafkajs transaction as a {@link TransactionPort}; fencing errors become ProducerFencedError. */
class KafkajsTransaction implements TransactionPort {
  constructor(
    private readonly transactionalId: string,
    private readonly tx: Transaction,
  ) {}

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length > 0)
      await this.fenceAware(this.tx.sendBatch({ topicMessages: byTopic(messages), acks: -1 }));
  }

  sendOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    return this.fenceAware(
      this.tx.sendOffsets({ consumerGroupId: groupId, topics: offsetsByTopic(offsets) }),
    );
  }

  commit(): Promise<void> {
    return this.fenceAware(this.tx.commit());
  }

  abort(): Promise<void> {
    return this.fenceAware(this.tx.abort());
  }

  /** Turns the broker's fencing errors into ProducerFencedError. */
  private async fenceAware<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      if (isProducerFenced(error)) throw new ProducerFencedError(this.transactionalId, { cause: error });
      throw error;
    }
  }
}

/** The {@link ProducerPort} on a kafkajs producer: complete sends (see complete-send.ts), transactions. */
export class KafkajsProducer implements ProducerPort {
  constructor(
    private readonly partitions: PartitionCounts,
    private readonly transactionalId: string | undefined,
    private readonly producer: Producer,
  ) {}

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(messages: readonly OutgoingMessage[]): Promise<PartitionOffset[]> {
    if (messages.length === 0) return [];
    return sendCompletely(
      messages,
      (topic) => this.partitions.of(topic),
      (topicMessages) => this.producer.sendBatch({ topicMessages, acks: -1 }),
    );
  }

  async transaction(): Promise<TransactionPort> {
    if (this.transactionalId === undefined)
      throw new Error('transaction() needs a producer created with a transactionalId');
    return new KafkajsTransaction(this.transactionalId, await this.producer.transaction());
  }

  async disconnect(): Promise<void> {
    await this.partitions.close();
    await this.producer.disconnect();
  }
}
