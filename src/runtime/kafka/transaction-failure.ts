import { TributaryError } from '../errors.js';

/**
 * The producer of a task's transaction was fenced: another instance opened the same task (same
 * transactional id), so this one is a zombie for it and must not commit anything more for it.
 */
export class ProducerFencedError extends TributaryError {
  override readonly name = 'ProducerFencedError';
  constructor(
    readonly transactionalId: string,
    options?: ErrorOptions,
  ) {
    super(
      `The transactional producer "${transactionalId}" was fenced: another instance now owns its task. ` +
        'This instance drops the task without committing; it gets tasks again at the next rebalance.',
      options,
    );
  }
}

/** One task whose transaction failed, and whether it failed because its producer was fenced. */
export interface FailedTaskTransaction {
  readonly taskId: string;
  readonly fenced: boolean;
  readonly error: Error;
}

/**
 * Exactly-once: the transactions of some tasks failed and were (or could not be) aborted. The
 * engine rebuilds those tasks from their changelogs and committed offsets, or drops fenced ones.
 */
export class TaskTransactionError extends TributaryError {
  override readonly name = 'TaskTransactionError';
  constructor(readonly failures: readonly FailedTaskTransaction[]) {
    const first = failures[0]!;
    super(
      `The transaction of task ${failures.map((f) => f.taskId).join(', ')} failed: ${first.error.message}`,
      { cause: first.error },
    );
  }
}

/** A TaskTransactionError for one task. */
export function taskTransactionError(taskId: string, error: unknown): TaskTransactionError {
  const cause = error instanceof Error ? error : new Error(String(error));
  return new TaskTransactionError([{ taskId, fenced: error instanceof ProducerFencedError, error: cause }]);
}
