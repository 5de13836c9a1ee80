/**
 * Retriable sink failures: a sink whose destination is down for a while (ADX throttling, a network
 * outage) has usually kept the records it was given. Routing them through the production-error door
 * would then duplicate them (dead-lettered here, delivered later by the sink) or hide them (skipped
 * here, delivered later anyway). Instead, the runtime waits for the sink to recover, as Kafka
 * Connect does with a RetriableException: it calls `flush()` with backoff until it succeeds. Input
 * positions are not committed meanwhile, so at-least-once holds even if the process dies.
 */
import type { SinkConnector } from './connector.js';
import { type Duration, toMillis } from './duration.js';
import { ProductionError } from './errors.js';
import type { StreamRecord } from './record.js';

/**
 * True when a sink's `write` rejection says "I kept every record of this write; `flush()` delivers
 * them once the destination is back": the error has `retriable === true`.
 */
export function isRetriableSinkFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

/** How the runtime waits for a sink to recover. */
export interface SinkRecoveryOptions {
  /** Stops waiting (the app is closing): rejects with a ProductionError naming the sink. */
  readonly signal?: AbortSignal;
  /** First pause before calling `flush()` again (ms). Default 1,000. */
  readonly initialDelayMs?: number;
  /** Longest pause between attempts (ms). Default 30,000. */
  readonly maxDelayMs?: number;
  /** Told of every failed attempt, for logs and metrics. */
  readonly onRetry?: (sink: string, attempt: number, error: unknown, nextDelayMs: number) => void;
  /** Sleep (tests). Default: a timer that the signal cancels. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * After `write` rejected with a retriable failure, calls `sink.flush()` with exponential backoff
 * until it succeeds. A non-retriable failure met on the way is rethrown (for the production door).
 * A sink without `flush` cannot be retried this way: the original error is rethrown.
 */
export async function awaitSinkRecovery(
  sink: SinkConnector<unknown, unknown>,
  failure: unknown,
  options: SinkRecoveryOptions = {},
): Promise<void> {
  if (!sink.flush) throw failure;
  const sleep = options.sleep ?? abortableSleep;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let delay = options.initialDelayMs ?? 1_000;
  let last = failure;
  for (let attempt = 1; ; attempt++) {
    options.onRetry?.(sink.name, attempt, last, delay);
    try {
      await sleep(delay, options.signal);
    } catch {
      throw stoppedWaiting(sink.name, last);
    }
    if (options.signal?.aborted) throw stoppedWaiting(sink.name, last);
    try {
      await sink.flush();
      return;
    } catch (error) {
      if (!isRetriableSinkFailure(error)) throw error;
      last = error;
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}

/** The app option `sinkRetry`: how long to wait between `flush()` attempts on a recovering sink. */
export interface SinkRetrySetting {
  /** First pause (default 1 s); it doubles after each failed attempt. */
  initialDelay?: Duration;
  /** Longest pause (default 30 s). */
  maxDelay?: Duration;
  /** Told of each failed attempt (sink name, attempt, error, next pause in ms). */
  onRetry?: (sink: string, attempt: number, error: unknown, nextDelayMs: number) => void;
}

/**
 * Writes one batch to a connector sink, waiting for the sink when it fails retriably. Resolves to
 * undefined once the records are delivered (counted in `count`), or to the error the production
 * door must handle.
 */
export async function writeToSink(
  sink: SinkConnector<unknown, unknown>,
  records: ReadonlyArray<StreamRecord<unknown, unknown>>,
  recovery: SinkRecoveryOptions,
  count: (counter: string, by: number) => void,
): Promise<Error | undefined> {
  try {
    await sink.write(records);
  } catch (error) {
    if (!isRetriableSinkFailure(error) || !sink.flush) return error as Error;
    // The sink kept the records: wait for it rather than dead-letter what it will deliver.
    await awaitSinkRecovery(sink, error, recovery);
    count(`sink.${sink.name}.recoveries`, 1);
  }
  count(`sink.${sink.name}.records`, records.length);
  return undefined;
}

/** Recovery options from an app's `sinkRetry` setting and its shutdown signal. */
export function sinkRecoveryOptions(
  setting: SinkRetrySetting = {},
  signal?: AbortSignal,
): SinkRecoveryOptions {
  return {
    signal,
    initialDelayMs: setting.initialDelay === undefined ? undefined : toMillis(setting.initialDelay),
    maxDelayMs: setting.maxDelay === undefined ? undefined : toMillis(setting.maxDelay),
    onRetry: setting.onRetry,
  };
}

/** `sink.flush()`, waiting for the sink to recover when it fails retriably (used at commit). */
export async function flushWithRecovery(
  sink: SinkConnector<unknown, unknown>,
  options: SinkRecoveryOptions = {},
): Promise<void> {
  try {
    await sink.flush?.();
  } catch (error) {
    if (!isRetriableSinkFailure(error)) throw error;
    await awaitSinkRecovery(sink, error, options);
  }
}

function stoppedWaiting(sink: string, last: unknown): ProductionError {
  const why = last instanceof Error ? last.message : String(last);
  return new ProductionError(
    `Sink "${sink}" had not recovered when the app stopped (last failure: ${why}). Its records are ` +
      'not confirmed, so their input positions were not committed: they are processed again on restart.',
    sink,
    { cause: last },
  );
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
