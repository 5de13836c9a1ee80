import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import type {
  AdminPort,
  ConsumerPort,
  ConsumerPortOptions,
  KafkaClientPort,
  PartitionReaderPort,
  ProducerPort,
  ProducerPortOptions,
} from '../../runtime/kafka/client-port.js';
import type { KafkaConnection } from '../../runtime/kafka/kafka-options.js';
import { coPartitionedAssigner } from './co-partitioned-assigner.js';
import { PartitionCounts } from './complete-send.js';
import { withClearConnectErrors } from './connect-errors.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsConsumer } from './kafkajs-consumer.js';
import { KafkajsProducer } from './kafkajs-producer.js';
import { KafkajsReader } from './kafkajs-reader.js';

export { isProducerFenced } from './kafkajs-producer.js';

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
      options.groupId,
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
