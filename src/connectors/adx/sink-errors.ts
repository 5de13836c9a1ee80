/**
 * The ADX sink's error messages, in one place: each says what failed, with which rows, and what to
 * do, and none carries a secret (every text goes through `redact`).
 */
import { describeAuth } from './auth.js';
import type { SealedBatch } from './batch.js';
import type { AdxFailure } from './classify.js';
import { AdxIngestError, type AdxIngestFailureDetails } from './errors.js';
import type { ResolvedAdxSinkOptions } from './options.js';
import { redactSecrets, sanitizedCause } from './redact.js';

/** Builds the errors of one sink. */
export class AdxSinkErrors {
  constructor(
    private readonly options: ResolvedAdxSinkOptions<unknown, unknown>,
    private readonly mode: string,
    private readonly secrets: ReadonlyArray<string>,
  ) {}

  /** A record that cannot be sent (`what` it could not do, short `reason`). */
  row(error: unknown, what: string, reason: string): AdxIngestError {
    const why = error instanceof Error ? error.message : String(error);
    const { name, database, table } = this.options;
    return new AdxIngestError(
      this.redact(
        `${name}: a record ${what} (${why}); it is not sent to ADX table ${database}.${table}. ` +
          "Check rowMapper and the record's value.",
      ),
      true,
      this.details(1, undefined, undefined, 0, reason),
      { cause: sanitizedCause(error, this.secrets) },
    );
  }

  /** No dead-letter door: the write fails as a whole, so nothing of it is half-accepted. */
  wholeWrite(first: AdxIngestError, rejected: number, records: number): AdxIngestError {
    return new AdxIngestError(
      `${first.message} ${rejected} of the ${records} records of this write could not be sent, ` +
        'so none of them was accepted; set onDeadLetter to divert such rows and keep the others.',
      true,
      { ...first.details, rowCount: rejected },
      { cause: first },
    );
  }

  /** A batch that failed: permanently (rejected) or transiently after all its retries. */
  ingest(batch: SealedBatch, failure: AdxFailure, cause: unknown, attempts: number): AdxIngestError {
    const { name, database, table } = this.options;
    const what = `${name}: ${this.mode} ingestion of ${batch.rows.length} rows into ${database}.${table}`;
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

  /** The dead-letter handler threw: the rows are reported, not hidden. */
  deadLetterHandlerFailed(rows: number, handlerError: unknown, error: AdxIngestError): AdxIngestError {
    const why = handlerError instanceof Error ? handlerError.message : String(handlerError);
    return new AdxIngestError(
      this.redact(
        `${this.options.name}: the dead-letter handler threw while receiving ${rows} rejected rows ` +
          `(${why}); the rows were rejected because: ${error.message}`,
      ),
      true,
      error.details,
      { cause: error },
    );
  }

  /** After close nothing retries the kept batches: say so, and what makes the rows safe. */
  closedWithPending(error: AdxIngestError, pending: number): AdxIngestError {
    return new AdxIngestError(
      this.redact(
        `${this.options.name} closed with ${pending} rows not ingested: the last ingestion failed ` +
          `${error.details.attempts} times (${error.details.reason}). ` +
          'Do not commit their input offsets: re-reading them re-sends the same batches, which ' +
          'deduplication makes safe for queued ingestion.',
      ),
      false,
      error.details,
      { cause: error },
    );
  }

  /** Scrubs the configured secrets from a text. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  private transientHint(failure: AdxFailure): string {
    if (failure.reason.startsWith('token acquisition failed')) {
      return `check that the Entra ID endpoint is reachable and the credentials of ${describeAuth(this.options.auth)} are valid.`;
    }
    return `check that ${this.options.ingestUrl ?? this.options.clusterUrl} is reachable and not throttling.`;
  }

  private permanentHint(failure: AdxFailure): string {
    const { database, mappingName } = this.options;
    if (failure.reason === 'authentication failed' || failure.status === 401 || failure.status === 403) {
      if (this.options.auth.kind === 'none')
        return 'the cluster refused an unauthenticated request: set `auth`.';
      return `check the credentials of ${describeAuth(this.options.auth)} and that it has the Ingestor role on database ${database}.`;
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
}
