import { TributaryError } from '../../runtime/errors.js';

/** Where a failed ingestion was going and what was in it. */
export interface AdxIngestFailureDetails {
  readonly database: string;
  readonly table: string;
  /** Rows in the failed batch. */
  readonly rowCount: number;
  /** The batch id (also the queued-ingestion source id), when a batch was formed. */
  readonly batchId: string | undefined;
  /** HTTP status found in the failure, if any. */
  readonly status: number | undefined;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** Short reason, e.g. "HTTP 503", "network error ECONNREFUSED", "authentication failed". */
  readonly reason: string;
}

/**
 * An ADX ingestion that did not succeed. `permanent` says whether retrying can help:
 * permanent failures are handed to the dead-letter door; transient ones that exhausted their
 * retries keep their batch, which is retried (with the same id) on the next write or flush
 * (`retriable` is then true).
 * Messages and causes never contain the configured app key or access token.
 */
export class AdxIngestError extends TributaryError {
  override readonly name = 'AdxIngestError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly details: AdxIngestFailureDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * True for a transient failure that outlasted its retries: the sink kept the rows and sends them
   * on the next flush. The runtime then waits for the sink instead of applying its production door.
   */
  get retriable(): boolean {
    return !this.permanent;
  }
}
