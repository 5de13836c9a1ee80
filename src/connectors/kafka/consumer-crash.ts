/**
 * What the app does when its kafkajs consumer crashes (kafkajs' CRASH event). kafkajs restarts the
 * consumer itself after a retriable error (`restart: true`); after any other it disconnects and stays
 * stopped, which left the app RUNNING with nothing consumed. Here a crash whose cause still says "the
 * broker or coordinator is away" is restarted with backoff, and any other ends the app with an error
 * that says what went wrong and what to change.
 */
import { TributaryError } from '../../runtime/errors.js';
import { isBrokerAway } from './complete-send.js';
import { isCoordinatorUnavailable } from './coordinator-errors.js';

/** What to do about one crash. */
export type CrashDecision =
  /** kafkajs restarts the consumer itself. */
  | { readonly action: 'wait' }
  /** kafkajs will not, but the cause is transient: run the consumer again after `inMs`. */
  | { readonly action: 'restart'; readonly inMs: number }
  /** The consumer cannot go on: fail the app with `error`. */
  | { readonly action: 'fail'; readonly error: Error };

/** First and longest pause before restarting a crashed consumer (ms). */
export const CONSUMER_RESTART_BACKOFF_MS = { initial: 1000, max: 30_000 } as const;

/** Decides, crash by crash, whether a consumer restarts or fails its app; backoff grows until it joins again. */
export class ConsumerCrashes {
  private restarts = 0;

  constructor(private readonly groupId: string) {}

  /** The consumer joined its group again: the next crash starts over with the shortest pause. */
  recovered(): void {
    this.restarts = 0;
  }

  /** The decision for a crash with `error`; `kafkajsRestarts` is the CRASH event's `restart`. */
  decide(error: Error, kafkajsRestarts: boolean): CrashDecision {
    if (kafkajsRestarts) return { action: 'wait' };
    if (!isTransient(error)) return { action: 'fail', error: explainConsumerCrash(error, this.groupId) };
    const { initial, max } = CONSUMER_RESTART_BACKOFF_MS;
    const inMs = Math.min(max, initial * 2 ** Math.min(this.restarts++, 10));
    return { action: 'restart', inMs };
  }
}

/** True when the crash only says a broker or the group coordinator is away for now. */
function isTransient(error: Error): boolean {
  return isBrokerAway(error) || isCoordinatorUnavailable(error);
}

/** The broker's error type (e.g. INVALID_SESSION_TIMEOUT) in `error` or an error it wraps. */
function brokerErrorType(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    e = e.cause ?? (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** What to change, for the broker errors a user can cause. */
const HINTS: Readonly<Record<string, string>> = {
  INVALID_SESSION_TIMEOUT:
    "kafka.sessionTimeoutMs must lie within the brokers' group.min.session.timeout.ms and " +
    'group.max.session.timeout.ms (6 s and 30 min unless the brokers say otherwise).',
  INCONSISTENT_GROUP_PROTOCOL:
    'Another consumer that is not an instance of this app uses the same group id (the applicationId): ' +
    'give this app an applicationId of its own, or stop the other consumer.',
  GROUP_AUTHORIZATION_FAILED: 'The Kafka user may not use this consumer group: grant it READ on the group.',
  TOPIC_AUTHORIZATION_FAILED: 'The Kafka user may not read an input topic: grant it READ on the topics.',
};

/** The error a crashed consumer fails its app with: the group, the cause, and what to change. */
export function explainConsumerCrash(error: Error, groupId: string): TributaryError {
  const type = brokerErrorType(error);
  const hint =
    (type && HINTS[type]) ?? 'The consumer stopped for good; fix the cause, then start the app again.';
  return new TributaryError(
    `The Kafka consumer of group "${groupId}" crashed: ${error.message}${type ? ` (${type})` : ''}. ${hint}`,
    { cause: error },
  );
}
