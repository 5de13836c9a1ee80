/**
 * The Azure Data Explorer sink. Records become rows (`rowMapper`), rows become lines (JSON or
 * CSV), lines accumulate across `write` calls into one batch, and a batch is ingested when it
 * reaches `maxRows` or `maxBytes`, when its oldest row is `maxDelay` old, and on `flush`/`close`.
 *
 * Flow control: `write` awaits the ingestion of every batch it fills, so a slow ADX slows the
 * pipeline. Memory holds at most one sealed batch waiting for a retry plus the open batch.
 *
 * Failures: transient ones are retried with exponential backoff and jitter; if they persist,
 * the batch is kept and the call rejects, and the next write or flush retries the same batch
 * (same id, same deduplication tag) before accepting anything new. Permanent ones go to
 * `onDeadLetter` (or reject the call when there is none). A record that cannot become a row (or,
 * streaming, is over 4 MB) goes to `onDeadLetter` alone; with no door the whole write is rejected
 * before any of its records is accepted.
 */
import type { SinkConnector } from '../../runtime/connector.js';
import type { RecordOrigin, StreamRecord } from '../../runtime/record.js';
import { describeAuth, secretsOf } from './auth.js';
import { BatchBuilder, type SealedBatch } from './batch.js';
import type { AdxFailure } from './classify.js';
import { AdxIngestError, type AdxIngestFailureDetails } from './errors.js';
import type { AdxIngester, AdxTarget } from './ingester.js';
import { type AdxSinkOptions, type ResolvedAdxSinkOptions, resolveAdxSinkOptions } from './options.js';
import { QueuedIngester } from './queued-ingester.js';
import { redactSecrets, sanitizedCause } from './redact.js';
import { withRetries } from './retry.js';
import { type AdxRow, csvRowEncoder, jsonRowEncoder, type RowEncoder } from './row-format.js';
import { STREAMING_MAX_BYTES, StreamingIngester } from './streaming-ingester.js';

/** Counters of one sink since it was created. */
export interface AdxSinkStats {
  readonly rowsIngested: number;
  readonly batchesIngested: number;
  readonly rowsDeadLettered: number;
  readonly retries: number;
  /** Rows accepted but not yet ingested (open batch plus a batch waiting for a retry). */
  readonly rowsPending: number;
}

/** Replaceable parts, for tests and custom transports. */
export interface AdxSinkParts {
  /** Transport to use instead of the SDK's queued or streaming client. */
  readonly ingester?: AdxIngester;
  /** Backoff sleep (default: a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Clock for batch age (default Date.now). */
  readonly now?: () => number;
}

/** Azure Data Explorer sink: see the module comment for batching, flow control and failures. */
export class AdxSink<K, V> implements SinkConnector<K, V> {
  readonly name: string;
  private readonly options: ResolvedAdxSinkOptions<K, V>;
  private readonly ingester: AdxIngester;
  private readonly encode: RowEncoder;
  private readonly secrets: string[];
  private readonly parts: AdxSinkParts;
  private readonly now: () => number;
  private readonly builder: BatchBuilder;
  private readonly maxRowBytes: number;
  /** A sealed batch whose ingestion failed transiently; retried before anything else. */
  private waiting: SealedBatch | undefined;
  /** A permanent failure met in the background with no dead-letter door, reported on the next call. */
  private deferred: AdxIngestError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private counters = { rowsIngested: 0, batchesIngested: 0, rowsDeadLettered: 0, retries: 0 };

  constructor(options: AdxSinkOptions<K, V>, parts: AdxSinkParts = {}) {
    this.options = resolveAdxSinkOptions(options);
    this.name = this.options.name;
    this.parts = parts;
    this.now = parts.now ?? Date.now;
    this.secrets = secretsOf(this.options.auth);
    const target: AdxTarget = {
      database: this.options.database,
      table: this.options.table,
      format: this.options.format,
      mappingName: this.options.mappingName,
    };
    this.builder = new BatchBuilder(
      [target.database, target.table, target.format, target.mappingName ?? ''].join('\0'),
    );
    this.encode = this.options.csvColumns ? csvRowEncoder(this.options.csvColumns) : jsonRowEncoder();
    this.maxRowBytes =
      this.options.ingestion === 'streaming' ? STREAMING_MAX_BYTES - 1 : Number.POSITIVE_INFINITY;
    this.ingester = parts.ingester ?? this.createIngester(target);
  }

  /** Accepts a batch of records; resolves once every batch it filled has been ingested. */
  write(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<void> {
    if (this.closing) return Promise.reject(this.closedError());
    return this.serially(() => this.writeNow(batch));
  }

  /** Ingests everything accepted so far (including a batch waiting for a retry). After close: close's outcome. */
  flush(): Promise<void> {
    if (this.closing) return this.closing;
    return this.serially(async () => {
      this.throwDeferred();
      await this.drain();
    });
  }

  /** Flushes, then releases the SDK clients. Safe to call twice; writes after it reject. */
  close(): Promise<void> {
    this.closing ??= this.serially(async () => {
      this.clearTimer();
      try {
        this.throwDeferred();
        await this.drain();
      } catch (error) {
        throw this.closeError(error);
      } finally {
        this.ingester.close();
      }
    });
    return this.closing;
  }

  /** Counters since creation. */
  stats(): AdxSinkStats {
    return { ...this.counters, rowsPending: this.builder.rowCount + (this.waiting?.rows.length ?? 0) };
  }

  private createIngester(target: AdxTarget): AdxIngester {
    const { clusterUrl, auth } = this.options;
    if (this.options.ingestion === 'streaming') return new StreamingIngester(target, clusterUrl, auth);
    return new QueuedIngester(target, {
      clusterUrl,
      ingestUrl: this.options.ingestUrl,
      auth,
      deduplicate: this.options.deduplicate,
      flushImmediately: this.options.flushImmediately,
    });
  }

  // One operation at a time: the runtime never overlaps writes, but the age timer may fire mid-write.
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async writeNow(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<void> {
    this.throwDeferred();
    if (this.waiting) await this.ingestWaiting();
    const encoded = await this.encodeBatch(batch);
    for (let i = 0; i < encoded.rows.length; i++) {
      const lineBytes = encoded.bytes[i]!;
      if (this.builder.rowCount > 0 && this.builder.bytes + lineBytes + 1 > this.options.maxBytes) {
        await this.sealAndIngest();
      }
      this.builder.add(encoded.rows[i]!, encoded.lines[i]!, lineBytes, encoded.origins[i], this.now());
      if (this.builder.rowCount >= this.options.maxRows || this.builder.bytes >= this.options.maxBytes) {
        await this.sealAndIngest();
      }
    }
    if (this.builder.rowCount > 0) {
      if (this.now() - this.builder.openedAtMs >= this.options.maxDelayMs) await this.sealAndIngest();
      else this.armTimer();
    }
  }

  /**
   * Maps and encodes every record of one write before any is accepted. Rows that cannot be sent
   * go to the dead-letter door; without one the whole write is rejected with nothing of it
   * accepted, so the runtime's production-error door sees exactly the records the sink did not take.
   */
  private async encodeBatch(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<EncodedRows> {
    const encoded: EncodedRows = { rows: [], lines: [], bytes: [], origins: [] };
    const rejected: Array<{ row: AdxRow; error: AdxIngestError }> = [];
    for (const record of batch) {
      let row: AdxRow | undefined;
      let line: string;
      try {
        row = this.options.rowMapper(record);
        line = this.encode(row);
      } catch (error) {
        const failure = this.rowError(error, 'could not be turned into a row', 'unencodable record');
        rejected.push({ row: row ?? fallbackRow(record), error: failure });
        continue;
      }
      const lineBytes = Buffer.byteLength(line, 'utf8');
      if (lineBytes > this.maxRowBytes) {
        const failure = this.rowError(
          new Error(`${lineBytes} bytes`),
          'is larger than one streaming request',
          'row too large',
        );
        rejected.push({ row, error: failure });
        continue;
      }
      encoded.rows.push(row);
      encoded.lines.push(line);
      encoded.bytes.push(lineBytes);
      encoded.origins.push(record.origin);
    }
    if (rejected.length > 0) {
      if (!this.options.onDeadLetter) throw this.wholeWriteRejected(rejected, batch.length);
      for (const { row, error } of rejected) await this.deadLetter([row], error);
    }
    return encoded;
  }

  private async drain(): Promise<void> {
    if (this.waiting) await this.ingestWaiting();
    if (this.builder.rowCount > 0) await this.sealAndIngest();
  }

  private async sealAndIngest(): Promise<void> {
    this.clearTimer();
    this.waiting = this.builder.seal();
    await this.ingestWaiting();
  }

  private async ingestWaiting(): Promise<void> {
    const batch = this.waiting!;
    const outcome = await withRetries(() => this.ingester.ingest(batch), {
      policy: this.options.retry,
      sleep: this.parts.sleep,
      random: this.parts.random,
      onRetry: (attempt, failure, _error, delayMs) => {
        this.counters.retries++;
        this.options.logger?.warn(
          {
            sink: this.name,
            batchId: batch.id,
            rows: batch.rows.length,
            attempt,
            delayMs,
            reason: failure.reason,
          },
          this.redact(
            `ADX ingestion attempt ${attempt} failed (${failure.reason}: ${failure.detail}); retrying`,
          ),
        );
      },
    });
    if (outcome.ok) {
      this.waiting = undefined;
      this.counters.batchesIngested++;
      this.counters.rowsIngested += batch.rows.length;
      return;
    }
    const error = this.ingestError(batch, outcome.failure, outcome.error, outcome.attempts);
    if (!outcome.failure.permanent) throw error; // the batch stays in `waiting` for the next call
    this.waiting = undefined;
    await this.deadLetter(batch.rows, error);
  }

  private rowError(error: unknown, what: string, reason: string): AdxIngestError {
    const why = error instanceof Error ? error.message : String(error);
    return new AdxIngestError(
      this.redact(
        `${this.name}: a record ${what} (${why}); it is not sent to ADX table ` +
          `${this.options.database}.${this.options.table}. Check rowMapper and the record's value.`,
      ),
      true,
      this.details(1, undefined, undefined, 0, reason),
      { cause: sanitizedCause(error, this.secrets) },
    );
  }

  // No dead-letter door: the write fails as a whole, so nothing of it is half-accepted.
  private wholeWriteRejected(
    rejected: ReadonlyArray<{ row: AdxRow; error: AdxIngestError }>,
    records: number,
  ): AdxIngestError {
    const first = rejected[0]!.error;
    const error = new AdxIngestError(
      `${first.message} ${rejected.length} of the ${records} records of this write could not be sent, ` +
        'so none of them was accepted; set onDeadLetter to divert such rows and keep the others.',
      true,
      { ...first.details, rowCount: rejected.length },
      { cause: first },
    );
    this.options.logger?.error(
      { sink: this.name, rows: rejected.length, reason: first.details.reason },
      error.message,
    );
    return error;
  }

  private async deadLetter(rows: ReadonlyArray<AdxRow>, error: AdxIngestError): Promise<void> {
    const handler = this.options.onDeadLetter;
    this.options.logger?.error(
      { sink: this.name, rows: rows.length, batchId: error.details.batchId, status: error.details.status },
      handler ? `${error.message} The rows go to the dead-letter handler.` : error.message,
    );
    if (!handler) throw error;
    try {
      await handler(rows, error);
    } catch (handlerError) {
      throw new AdxIngestError(
        this.redact(
          `${this.name}: the dead-letter handler threw while receiving ${rows.length} rejected rows ` +
            `(${handlerError instanceof Error ? handlerError.message : String(handlerError)}); ` +
            `the rows were rejected because: ${error.message}`,
        ),
        true,
        error.details,
        { cause: error },
      );
    }
    this.counters.rowsDeadLettered += rows.length;
  }

  private ingestError(
    batch: SealedBatch,
    failure: AdxFailure,
    cause: unknown,
    attempts: number,
  ): AdxIngestError {
    const { database, table } = this.options;
    const what = `${this.name}: ${this.ingester.mode} ingestion of ${batch.rows.length} rows into ${database}.${table}`;
    const message = failure.permanent
      ? `${what} was rejected (${failure.reason}: ${failure.detail}). Not retried: ${this.permanentHint(failure)}`
      : `${what} failed ${attempts} times (${failure.reason}: ${failure.detail}). The batch is kept and ` +
        `retried, with the same deduplication tag, on the next write or flush; ${this.transientHint(failure)}`;
    return new AdxIngestError(
      this.redact(message),
      failure.permanent,
      this.details(batch.rows.length, batch.id, failure.status, attempts, failure.reason),
      { cause: sanitizedCause(cause, this.secrets) },
    );
  }

  private transientHint(failure: AdxFailure): string {
    if (failure.reason.startsWith('token acquisition failed')) {
      return `check that the Entra ID endpoint is reachable and the credentials of ${describeAuth(this.options.auth)} are valid.`;
    }
    return `check that ${this.options.ingestUrl ?? this.options.clusterUrl} is reachable and not throttling.`;
  }

  private permanentHint(failure: AdxFailure): string {
    const { database, mappingName } = this.options;
    const who = describeAuth(this.options.auth);
    if (failure.reason === 'authentication failed' || failure.status === 401 || failure.status === 403) {
      if (this.options.auth.kind === 'none')
        return 'the cluster refused an unauthenticated request: set `auth`.';
      return `check the credentials of ${who} and that it has the Ingestor role on database ${database}.`;
    }
    const objects = mappingName ? `the table and its mapping "${mappingName}" exist` : 'the table exists';
    return `check that ${objects} with matching columns (ensureAdxTable creates them) and that the rows fit them.`;
  }

  private details(
    rowCount: number,
    batchId: string | undefined,
    status: number | undefined,
    attempts: number,
    reason: string,
  ): AdxIngestFailureDetails {
    const { database, table } = this.options;
    return { database, table, rowCount, batchId, status, attempts, reason };
  }

  private armTimer(): void {
    if (this.timer) return;
    const dueIn = Math.max(0, this.builder.openedAtMs + this.options.maxDelayMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.serially(() => this.drain()).catch((error: unknown) => this.backgroundFailed(error));
    }, dueIn);
    this.timer.unref(); // a pending batch must not keep the process alive; close() flushes it
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private backgroundFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger?.warn({ sink: this.name }, this.redact(`Background flush failed: ${message}`));
    // A transient failure keeps its batch in `waiting`; a permanent one with no handler must not vanish.
    if (error instanceof AdxIngestError && error.permanent) this.deferred ??= error;
  }

  private throwDeferred(): void {
    const error = this.deferred;
    if (error) {
      this.deferred = undefined;
      throw error;
    }
  }

  // After close nothing retries the kept batch: say so, and what makes the rows safe.
  private closeError(error: unknown): unknown {
    if (!(error instanceof AdxIngestError) || error.permanent) return error;
    const pending = this.stats().rowsPending;
    return new AdxIngestError(
      this.redact(
        `${this.name} closed with ${pending} rows not ingested: the last ingestion failed ` +
          `${error.details.attempts} times (${error.details.reason}). ` +
          'Do not commit their input offsets: re-reading them re-sends the same batches, which ' +
          'deduplication makes safe for queued ingestion.',
      ),
      false,
      error.details,
      { cause: error },
    );
  }

  private closedError(): Error {
    return new Error(`${this.name} is closed; create a new sink to write more rows`);
  }

  private redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}

/** Creates an ADX sink; see `AdxSinkOptions` for everything it can do. */
export function adxSink<K, V>(options: AdxSinkOptions<K, V>, parts?: AdxSinkParts): AdxSink<K, V> {
  return new AdxSink(options, parts);
}

/** One write's rows, encoded, in parallel arrays (no object per row). */
interface EncodedRows {
  readonly rows: AdxRow[];
  readonly lines: string[];
  readonly bytes: number[];
  readonly origins: Array<RecordOrigin | undefined>;
}

function fallbackRow<K, V>(record: StreamRecord<K, V>): AdxRow {
  return { key: record.key, value: record.value, timestamp: record.timestamp };
}
