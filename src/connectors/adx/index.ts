/**
 * Azure Data Explorer connector: the sink, its options and errors, and helpers that create
 * tables and mappings from a schema.
 * @packageDocumentation
 */
export { AdxSink, type AdxSinkParts, type AdxSinkStats, adxSink } from './adx-sink.js';
export { type AdxAuth, type AdxTokenCredential, describeAuth, toConnectionStringBuilder } from './auth.js';
export { DEDUP_TAG_PREFIX, type SealedBatch } from './batch.js';
export { type AdxFailure, classifyAdxError } from './classify.js';
export { AdxIngestError, type AdxIngestFailureDetails } from './errors.js';
export type { AdxIngester, AdxTarget } from './ingester.js';
export {
  createCsvMappingCommand,
  createJsonMappingCommand,
  createMergeTableCommand,
  enableStreamingIngestionCommand,
  escapeKqlString,
  jsonPathOf,
  quoteName,
} from './kql.js';
export {
  ALERTS_TABLE,
  defaultMappingName,
  PACKET_STATS_TABLE,
  PACKETS_TABLE,
} from './network-monitor-tables.js';
export {
  type AdxDeadLetterHandler,
  type AdxLogger,
  type AdxSinkOptions,
  defaultRowMapper,
} from './options.js';
export { backoffDelay, type RetryPolicy } from './retry.js';
export { type AdxDataFormat, type AdxRow, csvField } from './row-format.js';
export type { AdxColumn, AdxColumnType, AdxTableSchema } from './schema.js';
export { STREAMING_MAX_BYTES } from './streaming-ingester.js';
export { adxTableCommands, type EnsureAdxTableOptions, ensureAdxTable } from './table-setup.js';
