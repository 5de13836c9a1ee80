/**
 * Posts alerts to a webhook as Alertmanager API v2 JSON, off the hot path: `enqueue` only appends
 * to a bounded queue; a background loop posts batches and retries failures with exponential backoff
 * and jitter. When the queue is full the oldest alert is dropped and counted, so a dead endpoint
 * never grows memory or slows the pipeline. Logs never show the URL's credentials.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay, type RetryPolicy } from '../../../src/connectors/adx/retry.js';
import type { Alert } from '../types.js';
import { toAlertmanager } from './alertmanager.js';
import { redactUrl, scrubUrlSecrets } from './redact-url.js';

/** Options of {@link AlertWebhook}. */
export interface AlertWebhookOptions {
  readonly url: string;
  /** Alerts kept while the endpoint is slow or down; beyond it the oldest are dropped. Default 1,000. */
  readonly maxQueued?: number;
  /** Alerts per POST. Default 100. */
  readonly maxBatch?: number;
  /** Default: 6 attempts, 500 ms doubling to 30 s. */
  readonly retry?: RetryPolicy;
  /** Per-request timeout (ms). Default 10,000. */
  readonly timeoutMs?: number;
  /** Told about failures (message already free of URL secrets). Default: nothing. */
  readonly onError?: (message: string) => void;
  /** For tests: replaces `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Counters of the webhook, for metrics and the summary. */
export interface AlertWebhookStats {
  readonly posted: number;
  readonly failed: number;
  readonly dropped: number;
  readonly queued: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, initialDelayMs: 500, maxDelayMs: 30_000 };

/** A bounded, retrying Alertmanager webhook client. */
export class AlertWebhook {
  /** The URL as it may be shown. */
  readonly displayUrl: string;
  private readonly queue: Alert[] = [];
  private readonly maxQueued: number;
  private readonly maxBatch: number;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly post: typeof fetch;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A batch is being posted (or waits for its next attempt). */
  private sending = false;
  private counts = { posted: 0, failed: 0, dropped: 0 };
  /** The URL without user info (fetch refuses credentials in URLs), and the header carrying them. */
  private readonly target: { readonly url: string; readonly authorization: string | undefined };

  constructor(private readonly options: AlertWebhookOptions) {
    this.displayUrl = redactUrl(options.url);
    this.maxQueued = options.maxQueued ?? 1000;
    this.maxBatch = options.maxBatch ?? 100;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.post = options.fetch ?? fetch;
    this.target = splitCredentials(options.url);
  }

  /** Queues an alert for posting; never blocks and never throws. */
  enqueue(alert: Alert): void {
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.counts.dropped++;
    }
    this.queue.push(alert);
    this.running ??= this.loop();
    this.wake?.();
  }

  /** Posted, failed (gave up after retries), dropped (queue full) and still queued alerts. */
  get stats(): AlertWebhookStats {
    return { ...this.counts, queued: this.queue.length };
  }

  /** Waits up to `timeoutMs` for queued and in-flight alerts to be posted, then stops. */
  async close(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.sending) && Date.now() < deadline && this.running) await delay(20);
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      const batch = this.queue.splice(0, this.maxBatch);
      this.sending = true;
      const ok = await this.send(batch);
      this.sending = false;
      if (ok) this.counts.posted += batch.length;
      else this.counts.failed += batch.length;
    }
  }

  /** One batch, with retries; false when every attempt failed. */
  private async send(batch: readonly Alert[]): Promise<boolean> {
    const body = JSON.stringify(batch.map((a) => toAlertmanager(a)));
    for (let attempt = 1; ; attempt++) {
      const problem = await this.attempt(body);
      if (problem === undefined) return true;
      if (attempt >= this.retry.maxAttempts || this.abort.signal.aborted || problem.permanent) {
        this.report(`gave up on ${batch.length} alerts after ${attempt} attempts: ${problem.message}`);
        return false;
      }
      const wait = backoffDelay(attempt, this.retry);
      this.report(`attempt ${attempt} failed (${problem.message}); retrying in ${wait} ms`);
      await delay(wait, undefined, { signal: this.abort.signal }).catch(() => {});
    }
  }

  private async attempt(body: string): Promise<{ message: string; permanent: boolean } | undefined> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.target.authorization) headers.authorization = this.target.authorization;
      const response = await this.post(this.target.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return undefined;
      // 4xx other than 408/429 will not get better by retrying the same body.
      const permanent =
        response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
      return { message: `HTTP ${response.status}`, permanent };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { message: cause ?? (error as Error).message, permanent: false };
    }
  }

  private report(message: string): void {
    this.options.onError?.(scrubUrlSecrets(`webhook ${this.displayUrl}: ${message}`, this.options.url));
  }
}

/** `https://user:pass@host/path` -> the URL without user info, and a Basic Authorization header. */
function splitCredentials(text: string): { url: string; authorization: string | undefined } {
  const url = new URL(text);
  if (!url.username && !url.password) return { url: text, authorization: undefined };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return {
    url: url.toString(),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}
