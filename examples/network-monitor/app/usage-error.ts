/**
 * A mistake in how the monitor was started (a bad flag, a missing file): the CLI prints the message
 * and exits with status 2, without a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
