import { TributaryError } from '../runtime/errors.js';

/** Error codes and messages of a device that cannot take more data (LMDB reports a full disk as EIO). */
const FULL_DISK = /ENOSPC|No space left|EIO|Input\/output error|MDB_MAP_FULL|EDQUOT|quota/i;

/**
 * A persistent state store could not write to its directory (a full disk, a quota, an I/O error).
 * It is not the fault of the record being processed, so it fails the app whatever the
 * processing-error policy: the input positions stay at the last commit whose store writes
 * succeeded, and a restart once the disk has room redoes the rest (nothing is lost). The store's
 * changes since then are still in memory and are written again at the next flush.
 */
export class StateStoreWriteError extends TributaryError {
  override readonly name = 'StateStoreWriteError';
  constructor(
    readonly store: string,
    readonly directory: string,
    cause: unknown,
  ) {
    const reason = (cause as Error)?.message ?? String(cause);
    const hint = FULL_DISK.test(`${(cause as NodeJS.ErrnoException)?.code ?? ''} ${reason}`)
      ? 'the disk is probably full (or over quota): free space there or point stateDir at a larger disk, then restart; processing resumes from the last commit'
      : 'check that the directory is writable and its disk healthy, then restart; processing resumes from the last commit';
    super(`state store "${store}" could not write to ${directory}: ${reason}; ${hint}.`, { cause });
  }
}

/** True when `error`, or an error it wraps (`cause`), is a StateStoreWriteError. */
export function findStateStoreWriteError(error: unknown): StateStoreWriteError | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof StateStoreWriteError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
