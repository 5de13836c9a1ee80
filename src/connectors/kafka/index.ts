/**
 * tributary/kafka: the Kafka client port and its kafkajs implementation. StreamsApp uses the
 * kafkajs client by default (`kafka: { brokers }`); import from here to pass another client or
 * to reuse the pieces.
 * @packageDocumentation
 */
export type {
  AdminPort,
  ConsumerHandlers,
  ConsumerPort,
  ConsumerPortOptions,
  FetchedBatch,
  FetchedMessage,
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
export type {
  KafkaConnection,
  KafkaOptions,
  KafkaSasl,
  ProcessingGuarantee,
} from '../../runtime/kafka/kafka-options.js';
export { internalSerde } from '../../runtime/kafka/record-codec.js';
export { coPartitionedAssigner } from './co-partitioned-assigner.js';
export { KafkajsClient } from './kafkajs-client.js';
