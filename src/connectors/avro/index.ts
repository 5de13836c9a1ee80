/** Avro serdes with a Confluent-compatible schema registry, and the network monitor's Avro schemas. */
export { AvroSerde, type AvroSerdeOptions, avroSerde } from './avro-serde.js';
export { AvroSerdeError } from './errors.js';
export {
  type ConfluentSchemaRegistryOptions,
  confluentSchemaRegistry,
  type SchemaRegistryClient,
} from './registry.js';
export type { AvroField, AvroRecordSchema, AvroTypeSchema } from './schemas/avro-schema.js';
export { avroFullName } from './schemas/avro-schema.js';
export { type AvroPacket, PACKET_AVRO_SCHEMA } from './schemas/packet.js';
export { type AvroWindowedStats, WINDOWED_STATS_AVRO_SCHEMA } from './schemas/windowed-stats.js';
export {
  recordNameStrategy,
  type SubjectContext,
  type SubjectNameStrategy,
  type SubjectNameStrategyName,
  subjectNameStrategy,
  topicNameStrategy,
  topicRecordNameStrategy,
} from './subject-naming.js';
export { MAGIC_BYTE, WIRE_HEADER_SIZE } from './wire-format.js';
