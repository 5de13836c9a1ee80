/**
 * Errors that only mean "the group coordinator is away or moved" (its broker restarted or died). kafkajs
 * keeps talking to the coordinator it found first until the consumer restarts itself (its own
 * heartbeat then fails and it rejoins, finding the new coordinator), so a commit that meets one of
 * these is skipped, not fatal: the next commit after the rejoin covers the same records.
 */
const COORDINATOR_ERROR_TYPES = new Set([
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'GROUP_LOAD_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
]);
const COORDINATOR_ERROR_NAMES = new Set([
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
]);

/** True when `error`, or an error it wraps, says the group coordinator cannot be reached. */
export function isCoordinatorUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; depth++) {
    const type = (e as { type?: unknown }).type;
    if (
      COORDINATOR_ERROR_NAMES.has(e.name) ||
      (typeof type === 'string' && COORDINATOR_ERROR_TYPES.has(type))
    )
      return true;
    e = e.cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/** How long commits may keep failing this way before the error is reported after all (ms). */
export const COORDINATOR_OUTAGE_LIMIT_MS = 120_000;

/**
 * True when `error` says the coordinator kafkajs talks to is no longer the group's: its broker left the
 * cluster's metadata (a dead node) or a live broker answered that it does not coordinate the group. Only a
 * new join looks the coordinator up again; a broker that is merely unreachable may come back as it was.
 */
export function isCoordinatorGone(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; depth++) {
    if (e.name === 'KafkaJSBrokerNotFound' || (e as { type?: unknown }).type === 'NOT_COORDINATOR_FOR_GROUP')
      return true;
    e = e.cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}
