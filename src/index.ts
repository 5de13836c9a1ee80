/**
 * tributary: Kafka Streams-style stream processing for TypeScript.
 * This module is the public API and nothing else.
 * @packageDocumentation
 */

// Aggregations
export * from './aggregations/index.js';
// rxjs at the edges
export {
  type FromObservableOptions,
  fromObservable,
  type ObservableSource,
} from './connectors/rx/from-observable.js';
export { toObservableSink } from './connectors/rx/to-observable.js';
export type { AggregateOptions } from './dsl/aggregation-args.js';
export { BranchedKStream } from './dsl/branched-kstream.js';
export type { StreamJoinOptions } from './dsl/joins.js';
export { KGroupedStream } from './dsl/kgrouped-stream.js';
export {
  type BranchByLayerOptions,
  type BranchedStreams,
  KStream,
  type RepartitionOptions,
  type ToTopicOptions,
} from './dsl/kstream.js';
export { KTable, WindowedKTable } from './dsl/ktable.js';
// The DSL
export { type StreamOptions, StreamsBuilder, type StreamsBuilderOptions } from './dsl/streams-builder.js';
export { SessionWindowedKStream, TimeWindowedKStream } from './dsl/windowed-kstream.js';
export { ForwardingProcessor } from './operators/forwarding-processor.js';
// Windows
export {
  type EmitMode,
  type JoinWindowSpec,
  type SessionWindowSpec,
  type SlidingWindowSpec,
  type TimeWindowSpec,
  type WindowSpec,
  windows,
} from './operators/windows/window-specs.js';
export type { AppState, StateListener } from './runtime/app/app-state.js';
export { ProductionError } from './runtime/app/output-writer.js';
export { StreamsApp, type StreamsAppOptions } from './runtime/app/streams-app.js';
export type { SinkConnector, SourceConnector } from './runtime/connector.js';
export { type Duration, toMillis } from './runtime/duration.js';
export { EmbeddedLog, type LogRecord } from './runtime/embedded/embedded-log.js';
export { DEAD_LETTER_HEADERS, type ErrorAction, type ErrorPolicies } from './runtime/error-policy.js';
export { ProcessingError, TopologyError, TributaryError } from './runtime/errors.js';
// Running on Kafka (StreamsApp's `kafka` option)
export { DeserializationError } from './runtime/kafka/deserialization-error.js';
export type {
  KafkaConnection,
  KafkaOptions,
  KafkaSasl,
  ProcessingGuarantee,
} from './runtime/kafka/kafka-options.js';
// Processor API (custom operators)
export type {
  Cancellable,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  PunctuationType,
} from './runtime/processor.js';
// Interactive queries (StreamsApp.store / queryMetadataForKey / allMetadata, queryServer)
export {
  StoreUnavailableError,
  type StoreUnavailableReason,
  UnknownStoreError,
} from './runtime/query/query-errors.js';
export type {
  AssignedPartition,
  HostInfo,
  InstanceMetadata,
  KeyQueryMetadata,
} from './runtime/query/query-metadata.js';
export type { QueryableApp } from './runtime/query/query-routes.js';
export { type QueryServer, type QueryServerOptions, queryServer } from './runtime/query/query-server.js';
export type { StoreDescription } from './runtime/query/store-queries.js';
export type {
  QueryableStore,
  ReadOnlyKeyValueView,
  ReadOnlySessionView,
  ReadOnlyWindowView,
} from './runtime/query/store-views.js';
export type {
  KeyValue,
  RecordHeaders,
  RecordOrigin,
  StreamRecord,
  TimeWindow,
  Windowed,
} from './runtime/record.js';
export {
  type AnySerde,
  type AsyncSerde,
  bytesSerde,
  customSerde,
  jsonSerde,
  type Serde,
  stringSerde,
} from './runtime/serde.js';
export {
  type TestDriverOptions,
  TestInputTopic,
  TestOutputTopic,
  TopologyTestDriver,
} from './runtime/test-driver.js';
export type { TimestampExtractor } from './runtime/topology/nodes.js';
// Topology and runtimes
export {
  type ProcessorOptions,
  type SinkOptions,
  type SourceOptions,
  Topology,
} from './runtime/topology/topology.js';
// State stores
export * from './state/index.js';
export { StateStoreWriteError } from './state/store-write-error.js';

/** The library version, as published to npm. */
export const VERSION = '0.1.0';
