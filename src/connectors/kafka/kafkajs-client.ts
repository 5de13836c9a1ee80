import { randomUUID } from 'node:crypto';
import {
  type Admin,
  AssignerProtocol,
  type Consumer,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  type KafkaMessage,
  logLevel,
  type Producer,
  type SASLOptions,
  type Transaction,
} from 'kafkajs';
import type {
  AdminPort,
  ConsumerHandlers,
  ConsumerPort,
  ConsumerPortOptions,
  FetchedBatch,
  FetchedMessage,
  GroupDescription,
  KafkaClientPort,
  NewTopic,
  OutgoingMessage,
  PartitionOffset,
  PartitionReaderPort,
  ProducerPort,
  ProducerPortOptions,
  TopicPartitions,
  TransactionPort,
} from '../../runtime/kafka/client-port.js';
import type { KafkaConnection } from '../../runtime/kafka/kafka-options.js';
import { ProducerFencedError } from '../../runtime/kafka/transaction-failure.js';
import type { RecordHeaders } from '../../runtime/record.js';
import { coPartitionedAssigner } from './co-partitioned-assigner.js';
import { byTopic, PartitionCounts, sendCompletely } from './complete-send.js';
import { withClearConnectErrors } from './connect-errors.js';
import { COORDINATOR_OUTAGE_LIMIT_MS, isCoordinatorUnavailable } from './coordinator-errors.js';
import { waitForLeaders } from './topic-leaders.js';

/**
 * How each kafkajs request retries while its broker is away (a restart, a leader moving): 8 retries
 * backing off from 300 ms to 3 s, about 15 s. Set explicitly, because kafkajs quietly uses other values
 * when NODE_ENV is "test". Sends ride out longer outages on top of this (see complete-send.ts).
 */
export const BROKER_OUTAGE_RETRY = {
  initialRetryTime: 300,
  maxRetryTime: 3000,
  factor: 0.2,
  multiplier: 2,
  retries: 8,
} as const;

/** The {@link KafkaClientPort} on kafkajs. */
export class KafkajsClient implements KafkaClientPort {
  readonly kafka: Kafka;

  constructor(private readonly connection: KafkaConnection) {
    const config: KafkaConfig = {
      clientId: connection.clientId ?? 'tributary',
      brokers: [...connection.brokers],
      logLevel: process.env.DEBUG_KAFKAJS ? logLevel.DEBUG : logLevel.ERROR,
      retry: { ...BROKER_OUTAGE_RETRY },
    };
    if (connection.ssl !== undefined) config.ssl = connection.ssl;
    if (connection.sasl) config.sasl = connection.sasl as SASLOptions;
    this.kafka = new Kafka(config);
  }

  consumer(options: ConsumerPortOptions): ConsumerPort {
    const consumer = new KafkajsConsumer(
      this.kafka.consumer({
        groupId: options.groupId,
        readUncommitted: !options.readCommitted,
        partitionAssigners: [coPartitionedAssigner(options.coPartitionGroupOf, options.applicationServer)],
        allowAutoTopicCreation: false,
        ...(options.sessionTimeoutMs !== undefined
          ? {
              sessionTimeout: options.sessionTimeoutMs,
              heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
            }
          : {}),
      }),
    );
    return withClearConnectErrors(consumer, this.connection);
  }

  producer(options: ProducerPortOptions = {}): ProducerPort {
    const transactional = options.transactionalId !== undefined;
    const producer = new KafkajsProducer(
      new PartitionCounts(this.kafka),
      options.transactionalId,
      this.kafka.producer({
        allowAutoTopicCreation: false,
        idempotent: transactional,
        ...(transactional ? { transactionalId: options.transactionalId, maxInFlightRequests: 1 } : {}),
      }),
    );
    return withClearConnectErrors(producer, this.connection);
  }

  admin(): AdminPort {
    return withClearConnectErrors(new KafkajsAdmin(this.kafka.admin()), this.connection);
  }

  reader(): PartitionReaderPort {
    return new KafkajsReader(this.kafka);
  }
}

function toHeaders(headers: IHeaders | undefined): RecordHeaders {
  const out: RecordHeaders = {};
  if (!headers) return out;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    // Repeated headers: the last one wins (RecordHeaders holds one value per name).
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last;
  }
  return out;
}

function toFetched(m: KafkaMessage): FetchedMessage {
  return {
    key: m.key,
    value: m.value,
    timestamp: Number(m.timestamp),
    offset: Number(m.offset),
    headers: toHeaders(m.headers),
  };
}

function offsetsByTopic(offsets: readonly PartitionOffset[]) {
  const grouped = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    const list = grouped.get(o.topic) ?? [];
    list.push({ partition: o.partition, offset: String(o.offset) });
    grouped.set(o.topic, list);
  }
  return [...grouped].map(([topic, partitions]) => ({ topic, partitions }));
}

function pauseArg(partitions: TopicPartitions) {
  return [...partitions].map(([topic, list]) => ({ topic, partitions: [...list] }));
}

/** Commit errors that only mean "the group is rebalancing; these partitions may move". */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

class KafkajsConsumer implements ConsumerPort {
  /** When commits started failing because the group coordinator was away (see coordinator-errors.ts). */
  private coordinatorAwaySince: number | undefined;

  constructor(private readonly consumer: Consumer) {}

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topics: readonly string[]): Promise<void> {
    return this.consumer.subscribe({ topics: [...topics], fromBeginning: true });
  }

  async run(handlers: ConsumerHandlers): Promise<void> {
    const { GROUP_JOIN, REBALANCING, END_BATCH_PROCESS } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      const assignment = new Map<string, number[]>();
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment))
        assignment.set(topic, partitions);
      handlers.onAssignment(assignment, event.payload.memberId);
    });
    this.consumer.on(REBALANCING, () => handlers.onRebalance());
    // kafkajs moves past fetches that held only transaction markers or aborted records without
    // calling eachBatch; this event is the only sign of it.
    this.consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0 && payload.lastOffset !== null && payload.lastOffset !== undefined)
        handlers.onSkipped?.({
          topic: payload.topic,
          partition: payload.partition,
          offset: Number(payload.lastOffset) + 1,
        });
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        const fetched: FetchedBatch = {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map(toFetched),
          highWatermark: Number(batch.highWatermark),
          // Past trailing transaction markers and aborted records, unlike the last message's offset.
          nextOffset: Number(batch.lastOffset()) + 1,
        };
        // A failed heartbeat here is not the batch's failure: kafkajs heartbeats again right after the
        // batch and handles the error itself (rejoins the group, or restarts to find a new coordinator).
        await handlers.eachBatch(fetched, () => heartbeat().catch(() => {}));
        // Moves kafkajs' fetch position past the batch; offsets are committed by the engine, not here.
        resolveOffset(batch.lastOffset());
      },
    });
  }

  pause(partitions: TopicPartitions): void {
    this.consumer.pause(pauseArg(partitions));
  }

  resume(partitions: TopicPartitions): void {
    this.consumer.resume(pauseArg(partitions));
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<boolean> {
    if (offsets.length === 0) return true;
    try {
      await this.consumer.commitOffsets(
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
      );
      this.coordinatorAwaySince = undefined;
      return true;
    } catch (error) {
      // kafkajs' retrier wraps the broker's error (KafkaJSNonRetriableError) and keeps its type in `cause`.
      const wrapped = (error as { cause?: { type?: string } }).cause;
      if (REBALANCE_ERRORS.has((error as { type?: string }).type ?? wrapped?.type ?? '')) return false;
      if (isCoordinatorUnavailable(error)) {
        this.coordinatorAwaySince ??= Date.now();
        if (Date.now() - this.coordinatorAwaySince < COORDINATOR_OUTAGE_LIMIT_MS) return false;
      }
      throw error;
    }
  }

  seek(position: PartitionOffset): void {
    this.consumer.seek({
      topic: position.topic,
      partition: position.partition,
      offset: String(position.offset),
    });
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
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

class KafkajsProducer implements ProducerPort {
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

class KafkajsAdmin implements AdminPort {
  constructor(private readonly admin: Admin) {}

  connect(): Promise<void> {
    return this.admin.connect();
  }

  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      // Resolves false (no error) when another instance created some of them in the meantime.
      await this.admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor ?? -1,
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    // Existing topics too: another instance may have created them a moment ago, before their
    // partitions had leaders (offset lookups then fail with "not the leader").
    await waitForLeaders(
      this.admin,
      topics.map((t) => t.topic),
    );
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = topics.filter((t) => existing.has(t));
    const counts = new Map<string, number>();
    if (wanted.length === 0) return counts;
    const meta = await this.admin.fetchTopicMetadata({ topics: wanted });
    for (const t of meta.topics) counts.set(t.name, t.partitions.length);
    return counts;
  }

  async endOffsets(topic: string): Promise<Map<number, number>> {
    // A topic created a moment ago may not have reached every broker's metadata yet.
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (attempt >= 20 || (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE'))
          throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const [entry] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    const out = new Map<number, number>();
    for (const p of entry?.partitions ?? [])
      if (Number(p.offset) >= 0) out.set(p.partition, Number(p.offset));
    return out;
  }

  // Interactive queries: members' "host:port" travel in their protocol metadata's userData.
  async describeGroup(groupId: string): Promise<GroupDescription> {
    const { groups } = await this.admin.describeGroups([groupId]);
    const group = groups[0];
    return {
      state: group?.state ?? 'Dead',
      members: (group?.members ?? []).map((m) => {
        const meta =
          m.memberMetadata.length > 0 ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata) : null;
        const assigned =
          m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
        const server = meta?.userData.toString('utf8');
        return {
          memberId: m.memberId,
          applicationServer: server ? server : undefined,
          assignment: new Map(Object.entries(assigned?.assignment ?? {})),
        };
      }),
    };
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}

/**
 * kafkajs has no group-less consumer, so a read runs a consumer in a throwaway group that never
 * commits, seeks each partition to its start and stops when every partition reached its end.
 */
class KafkajsReader implements PartitionReaderPort {
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
