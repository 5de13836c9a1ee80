/**
 * Exponential backoff with jitter around one ingestion attempt. Time and randomness are injected
 * so the schedule can be tested without waiting.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type AdxFailure, classifyAdxError } from './classify.js';

/** How often and how patiently to retry a transient failure. */
export interface RetryPolicy {
  /** Attempts in total, the first included (>= 1). */
  readonly maxAttempts: number;
  /** Delay before the second attempt, in milliseconds; doubles on each further attempt. */
  readonly initialDelayMs: number;
  /** Upper bound of any one delay, in milliseconds. */
  readonly maxDelayMs: number;
}

/** What `withRetries` needs besides the operation. */
export interface RetryContext {
  readonly policy: RetryPolicy;
  /** Called before each wait: the failed attempt (1-based), its verdict, and the wait in ms. */
  readonly onRetry?: (attempt: number, failure: AdxFailure, error: unknown, delayMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** The outcome of `withRetries`: success, or the last error with its verdict and attempt count. */
export type RetryOutcome =
  | { readonly ok: true; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly failure: AdxFailure; readonly attempts: number };

/**
 * The wait after failed attempt `attempt` (1-based): `initial * 2^(attempt-1)` capped at `max`,
 * then "equal jitter": half of it fixed, half random, so many sinks failing together spread out.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialDelayMs * 2 ** (attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/**
 * Runs `operation` until it succeeds, fails permanently, or `maxAttempts` is used up.
 * Never throws: the caller decides what a failure means (dead-letter, keep, rethrow).
 */
export async function withRetries(
  operation: () => Promise<void>,
  context: RetryContext,
): Promise<RetryOutcome> {
  const sleep = context.sleep ?? ((ms: number) => delay(ms));
  const random = context.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      await operation();
      return { ok: true, attempts: attempt };
    } catch (error) {
      const failure = classifyAdxError(error);
      if (failure.permanent || attempt >= context.policy.maxAttempts) {
        return { ok: false, error, failure, attempts: attempt };
      }
      const wait = backoffDelay(attempt, context.policy, random);
      context.onRetry?.(attempt, failure, error, wait);
      await sleep(wait);
    }
  }
}
