import { TributaryError } from '../../runtime/errors.js';

/**
 * A DuckDB sink could not create its table or write a batch (disk full, IO error, a value that does
 * not fit its column...). Rejected from `write`, it sends the batch to the production-error door.
 */
export class DuckDbSinkError extends TributaryError {
  override readonly name = 'DuckDbSinkError';
  constructor(
    message: string,
    /** The table the sink writes to. */
    readonly table: string,
    /** The database file (`:memory:` for an in-memory database). */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
