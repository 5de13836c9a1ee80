/**
 * The Azure Data Explorer sink. Records become rows (`rowMapper`), rows become lines (JSON or
 * CSV), lines accumulate across `write` calls into one batch, and a batch is ingested when it
 * reaches `maxRows` or `maxBytes`, when its oldest row is `maxDelay` old, and on `flush`/`close`.
 *
 * Flow control: `write` accepts all its rows, then awaits the ingestion of every batch they
 * filled, so a slow ADX slows the pipeline. Memory holds the open batch plus the sealed batches of
 * at most one write.
 *
 * Failures: transient ones are retried with exponential backoff and jitter; if they persist, the
 * call rejects with a *retriable* error (`retriable: true`): every row of the write stays in the
 * sink, and the next flush (or write) retries the same batches, with the same ids and
 * deduplication tags, before anything new. The runtime then waits for the sink (calling `flush`
 * with backoff) instead of applying its production-error door, so those rows are neither
 * dead-lettered nor duplicated. Permanent failures go to `onDeadLetter` (or reject the call when
 * there is none). A record that cannot become a row (or, streaming, is over 4 MB) goes to
 * `onDeadLetter` alone; with no door the whole write is rejected before any of its records is
 * accepted.
 */
import type { SinkConnector } from '../../runtime/connector.js';
import type { RecordOrigin, StreamRecord } from '../../runtime/record.js';
import { secretsOf } from './auth.js';
import { BatchBuilder, type SealedBatch } from './batch.js';
import { AdxIngestError } from './errors.js';
import type { AdxIngester, AdxTarget } from './ingester.js';
import { type AdxSinkOptions, type ResolvedAdxSinkOptions, resolveAdxSinkOptions } from './options.js';
import { QueuedIngester } from './queued-ingester.js';
import { withRetries } from './retry.js';
import { type AdxRow, csvRowEncoder, jsonRowEncoder, type RowEncoder } from './row-format.js';
import { AdxSinkErrors } from './sink-errors.js';
import { STREAMING_MAX_BYTES, StreamingIngester } from './streaming-ingester.js';

/** Counters of one sink since it was created. */
export interface AdxSinkStats {
  readonly rowsIngested: number;
  readonly batchesIngested: number;
  readonly rowsDeadLettered: number;
  readonly retries: number;
  /** Rows accepted but not yet ingested (the open batch plus sealed batches waiting to be sent). */
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
  private readonly errors: AdxSinkErrors;
  private readonly parts: AdxSinkParts;
  private readonly now: () => number;
  private readonly builder: BatchBuilder;
  private readonly maxRowBytes: number;
  /** Sealed batches not ingested yet, oldest first; a batch that failed transiently stays at the head. */
  private readonly sealed: SealedBatch[] = [];
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
    this.errors = new AdxSinkErrors(
      this.options as ResolvedAdxSinkOptions<unknown, unknown>,
      this.ingester.mode,
      secretsOf(this.options.auth),
    );
  }

  /**
   * Accepts a batch of records; resolves once every batch it filled has been ingested. Rejects
   * with a retriable `AdxIngestError` when ADX stayed unreachable through all retries: the rows are
   * kept, and `flush()` sends them later.
   */
  write(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<void> {
    if (this.closing) return Promise.reject(this.closedError());
    return this.serially(() => this.writeNow(batch));
  }

  /** Ingests everything accepted so far (kept batches first). After close: close's outcome. */
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
    let pending = this.builder.rowCount;
    for (const batch of this.sealed) pending += batch.rows.length;
    return { ...this.counters, rowsPending: pending };
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

  // Accept first, then send: a failure while sending never leaves part of a write unaccepted.
  private async writeNow(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<void> {
    this.throwDeferred();
    const encoded = await this.encodeBatch(batch);
    for (let i = 0; i < encoded.rows.length; i++) {
      const lineBytes = encoded.bytes[i]!;
      if (this.builder.rowCount > 0 && this.builder.bytes + lineBytes + 1 > this.options.maxBytes) {
        this.seal();
      }
      this.builder.add(encoded.rows[i]!, encoded.lines[i]!, lineBytes, encoded.origins[i], this.now());
      if (this.builder.rowCount >= this.options.maxRows || this.builder.bytes >= this.options.maxBytes) {
        this.seal();
      }
    }
    if (this.builder.rowCount > 0 && this.now() - this.builder.openedAtMs >= this.options.maxDelayMs) {
      this.seal();
    }
    await this.ingestSealed();
    if (this.builder.rowCount > 0) this.armTimer();
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
        const failure = this.errors.row(error, 'could not be turned into a row', 'unencodable record');
        rejected.push({ row: row ?? fallbackRow(record), error: failure });
        continue;
      }
      const lineBytes = Buffer.byteLength(line, 'utf8');
      if (lineBytes > this.maxRowBytes) {
        const failure = this.errors.row(
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
      if (!this.options.onDeadLetter) {
        const error = this.errors.wholeWrite(rejected[0]!.error, rejected.length, batch.length);
        this.options.logger?.error(
          { sink: this.name, rows: rejected.length, reason: error.details.reason },
          error.message,
        );
        throw error;
      }
      for (const { row, error } of rejected) await this.deadLetter([row], error);
    }
    return encoded;
  }

  private async drain(): Promise<void> {
    if (this.builder.rowCount > 0) this.seal();
    await this.ingestSealed();
  }

  private seal(): void {
    this.clearTimer();
    this.sealed.push(this.builder.seal());
  }

  /** Sends the sealed batches in order; a transient failure stops at it, keeping it and the rest. */
  private async ingestSealed(): Promise<void> {
    while (this.sealed.length > 0) {
      const batch = this.sealed[0]!;
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
            this.errors.redact(
              `ADX ingestion attempt ${attempt} failed (${failure.reason}: ${failure.detail}); retrying`,
            ),
          );
        },
      });
      if (outcome.ok) {
        this.sealed.shift();
        this.counters.batchesIngested++;
        this.counters.rowsIngested += batch.rows.length;
        continue;
      }
      const error = this.errors.ingest(batch, outcome.failure, outcome.error, outcome.attempts);
      if (!outcome.failure.permanent) throw error; // kept at the head for the next flush or write
      this.sealed.shift();
      await this.deadLetter(batch.rows, error);
    }
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
      throw this.errors.deadLetterHandlerFailed(rows.length, handlerError, error);
    }
    this.counters.rowsDeadLettered += rows.length;
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
    this.options.logger?.warn({ sink: this.name }, this.errors.redact(`Background flush failed: ${message}`));
    // A transient failure keeps its batch; a permanent one with no handler must not vanish.
    if (error instanceof AdxIngestError && error.permanent) this.deferred ??= error;
  }

  private throwDeferred(): void {
    const error = this.deferred;
    if (error) {
      this.deferred = undefined;
      throw error;
    }
  }

  private closeError(error: unknown): unknown {
    if (!(error instanceof AdxIngestError) || error.permanent) return error;
    return this.errors.closedWithPending(error, this.stats().rowsPending);
  }

  private closedError(): Error {
    return new Error(`${this.name} is closed; create a new sink to write more rows`);
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
