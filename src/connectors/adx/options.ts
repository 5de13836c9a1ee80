/**
 * Options of the ADX sink, their defaults, and the checks that turn a mistake into a clear
 * error at construction time rather than at the first ingestion.
 */
import { type Duration, toMillis } from '../../runtime/duration.js';
import type { StreamRecord } from '../../runtime/record.js';
import type { AdxAuth } from './auth.js';
import type { AdxIngestError } from './errors.js';
import type { AdxDataFormat, AdxRow } from './row-format.js';
import { assertEntityName } from './schema.js';
import { STREAMING_MAX_BYTES } from './streaming-ingester.js';

/** The structured-logger subset the sink uses; a pino logger fits as is. */
export interface AdxLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Called with rows ADX rejected for good (or that could not be encoded), and why. */
export type AdxDeadLetterHandler = (
  rows: ReadonlyArray<AdxRow>,
  error: AdxIngestError,
) => void | Promise<void>;

/** Options of `adxSink` / `AdxSink`. */
export interface AdxSinkOptions<K, V> {
  /** Name in topology descriptions, logs and errors. Default `adx:<database>.<table>`. */
  readonly name?: string;
  /** Cluster (query) URL, e.g. `https://mycluster.westeurope.kusto.windows.net`. */
  readonly clusterUrl: string;
  /** Data management URL for queued ingestion. Default: the cluster URL with "ingest-" before the host. */
  readonly ingestUrl?: string;
  readonly database: string;
  readonly table: string;
  readonly auth: AdxAuth;
  /** "queued" (default; for volume) or "streaming" (seconds of latency; needs the table's streaming policy). */
  readonly ingestion?: 'queued' | 'streaming';
  /** Payload format. Default "json" (one JSON object per line). */
  readonly format?: AdxDataFormat;
  /** Ingestion mapping defined on the table (see `ensureAdxTable`). Required for JSON streaming. */
  readonly mappingName?: string;
  /** Column order of CSV rows. Required when `format` is "csv". */
  readonly csvColumns?: ReadonlyArray<string>;
  /**
   * Turns a record into a row object. Default: the record's value when it is a plain object,
   * else `{ key, value, timestamp }` with the timestamp as an ISO string.
   */
  readonly rowMapper?: (record: StreamRecord<K, V>) => AdxRow;
  /** When to close a batch and ingest it: whichever limit is reached first. */
  readonly batch?: {
    /** Rows per ingestion. Default 100 000 (queued) or 10 000 (streaming). */
    readonly maxRows?: number;
    /** Uncompressed bytes per ingestion. Default 16 MiB (queued) or 4 MiB (streaming, also the maximum). */
    readonly maxBytes?: number;
    /** Age of the oldest buffered row. Default "10s" (queued) or "1s" (streaming). */
    readonly maxDelay?: Duration;
  };
  /** Retries of transient failures (network, 429, 5xx). */
  readonly retry?: {
    /** Attempts in total. Default 5. */
    readonly maxAttempts?: number;
    /** First backoff. Default "500ms". */
    readonly initialDelay?: Duration;
    /** Longest backoff. Default "30s". */
    readonly maxDelay?: Duration;
  };
  /**
   * Queued ingestion only: tag each batch with a deterministic `ingest-by` tag and ask for
   * `ingestIfNotExists`, so a batch re-sent after a crash or retry is not ingested twice.
   * Default true. ADX keeps these tags on extents; at very high batch rates consider turning it off.
   */
  readonly deduplicate?: boolean;
  /** Queued ingestion only: skip the service's aggregation (faster, but many small extents). Default false. */
  readonly flushImmediately?: boolean;
  /**
   * Receives rows that ADX rejected permanently (bad request, schema, auth) or that could not be
   * encoded. Without it, such failures reject `write`/`flush` instead: never silently lost.
   */
  readonly onDeadLetter?: AdxDeadLetterHandler;
  readonly logger?: AdxLogger;
}

/** Options after defaults and validation. */
export interface ResolvedAdxSinkOptions<K, V> {
  readonly name: string;
  readonly clusterUrl: string;
  readonly ingestUrl: string | undefined;
  readonly database: string;
  readonly table: string;
  readonly auth: AdxAuth;
  readonly ingestion: 'queued' | 'streaming';
  readonly format: AdxDataFormat;
  readonly mappingName: string | undefined;
  readonly csvColumns: ReadonlyArray<string> | undefined;
  readonly rowMapper: (record: StreamRecord<K, V>) => AdxRow;
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly maxDelayMs: number;
  readonly retry: {
    readonly maxAttempts: number;
    readonly initialDelayMs: number;
    readonly maxDelayMs: number;
  };
  readonly deduplicate: boolean;
  readonly flushImmediately: boolean;
  readonly onDeadLetter: AdxDeadLetterHandler | undefined;
  readonly logger: AdxLogger | undefined;
}

/** Applies defaults and validates; throws a RangeError naming the bad option and what to use. */
export function resolveAdxSinkOptions<K, V>(options: AdxSinkOptions<K, V>): ResolvedAdxSinkOptions<K, V> {
  assertHttpUrl(options.clusterUrl, 'clusterUrl');
  if (options.ingestUrl !== undefined) assertHttpUrl(options.ingestUrl, 'ingestUrl');
  assertEntityName(options.database, 'ADX sink: database');
  assertEntityName(options.table, 'ADX sink: table');
  const ingestion = options.ingestion ?? 'queued';
  if (ingestion !== 'queued' && ingestion !== 'streaming') {
    throw new RangeError(
      `ADX sink: ingestion must be "queued" or "streaming", got ${JSON.stringify(ingestion)}`,
    );
  }
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'multijson' && format !== 'csv') {
    throw new RangeError(
      `ADX sink: format must be "json", "multijson" or "csv", got ${JSON.stringify(format)}`,
    );
  }
  if (options.mappingName !== undefined) assertEntityName(options.mappingName, 'ADX sink: mappingName');
  if (format === 'csv' && (!options.csvColumns || options.csvColumns.length === 0)) {
    throw new RangeError('ADX sink: format "csv" needs csvColumns, the column order of each CSV line');
  }
  if (ingestion === 'streaming' && format !== 'csv' && !options.mappingName) {
    throw new RangeError(
      `ADX sink: streaming ingestion of ${format} into ${options.table} needs mappingName ` +
        '(the service requires a pre-created mapping for JSON streams; ensureAdxTable creates one)',
    );
  }
  const streaming = ingestion === 'streaming';
  const maxRows = positiveInteger(options.batch?.maxRows ?? (streaming ? 10_000 : 100_000), 'batch.maxRows');
  const maxBytes = positiveInteger(
    options.batch?.maxBytes ?? (streaming ? STREAMING_MAX_BYTES : 16 * 1024 * 1024),
    'batch.maxBytes',
  );
  if (streaming && maxBytes > STREAMING_MAX_BYTES) {
    throw new RangeError(
      `ADX sink: batch.maxBytes ${maxBytes} exceeds the streaming ingestion limit of ${STREAMING_MAX_BYTES} bytes`,
    );
  }
  const maxDelayMs = toMillis(
    options.batch?.maxDelay ?? (streaming ? '1s' : '10s'),
    'ADX sink: batch.maxDelay',
  );
  const retry = {
    maxAttempts: positiveInteger(options.retry?.maxAttempts ?? 5, 'retry.maxAttempts'),
    initialDelayMs: toMillis(options.retry?.initialDelay ?? '500ms', 'ADX sink: retry.initialDelay'),
    maxDelayMs: toMillis(options.retry?.maxDelay ?? '30s', 'ADX sink: retry.maxDelay'),
  };
  return {
    name: options.name ?? `adx:${options.database}.${options.table}`,
    clusterUrl: options.clusterUrl,
    ingestUrl: options.ingestUrl,
    database: options.database,
    table: options.table,
    auth: options.auth,
    ingestion,
    format,
    mappingName: options.mappingName,
    csvColumns: options.csvColumns,
    rowMapper: options.rowMapper ?? defaultRowMapper,
    maxRows,
    maxBytes,
    maxDelayMs,
    retry,
    deduplicate: options.deduplicate ?? true,
    flushImmediately: options.flushImmediately ?? false,
    onDeadLetter: options.onDeadLetter,
    logger: options.logger,
  };
}

/** The default row: a plain-object value as is, anything else as `{ key, value, timestamp }`. */
export function defaultRowMapper<K, V>(record: StreamRecord<K, V>): AdxRow {
  const value: unknown = record.value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) {
    return value as AdxRow;
  }
  return { key: record.key, value, timestamp: new Date(record.timestamp).toISOString() };
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`ADX sink: ${what} must be a positive integer, got ${value}`);
  }
  return value;
}

function assertHttpUrl(value: string, what: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(
      `ADX sink: ${what} ${JSON.stringify(value)} is not a URL; use e.g. https://mycluster.westeurope.kusto.windows.net`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(
      `ADX sink: ${what} must be an https:// URL (http:// only for local emulators), got ${value}`,
    );
  }
}
