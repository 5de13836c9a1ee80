/**
 * Decides whether an ingestion failure is worth retrying. ADX, Azure Storage and the network each
 * report failures differently (axios errors with a response, storage RestErrors with statusCode,
 * SDK errors that only keep the status in their message), so this walks an error and its inner
 * errors, collects what it can find, and applies one rule set:
 * - the service's own verdict (`@permanent` in a Kusto error body) wins;
 * - HTTP 408, 429 and 5xx are transient, other 4xx (auth, missing table, bad mapping) permanent;
 * - network failures (refused, reset, timed out, DNS) and throttling are transient;
 * - authentication and ingestion-property validation errors are permanent;
 * - anything unknown is treated as transient: retried a bounded number of times, never dropped.
 */

/** The verdict on one failure. */
export interface AdxFailure {
  /** True when retrying cannot help (bad request, auth, schema): the rows go to the dead-letter door. */
  readonly permanent: boolean;
  /** HTTP status, when one was found anywhere in the error chain. */
  readonly status: number | undefined;
  /** Short reason for messages, e.g. "HTTP 503", "network error ECONNREFUSED", "authentication failed". */
  readonly reason: string;
  /** The most useful message found (the service's own error text when there is one). */
  readonly detail: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'REQUEST_SEND_ERROR',
]);

// MSAL reports an unreachable identity endpoint as "network_error" or "endpoints_resolution_error".
const NETWORK_TEXT =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|socket hang up|network[ _]error|endpoints_resolution_error|timeout of \d+ms exceeded)\b/i;
const STATUS_TEXT = /status code (\d{3})\b/i;
// The ingest SDK swallows storage errors into these messages; storage hiccups are worth a retry.
const SDK_STORAGE_TEXT = /Failed to (upload to blob|send message to queue|get containers|get queues)/;

interface Findings {
  status?: number;
  code?: string;
  kustoPermanent?: boolean;
  kustoMessage?: string;
  names: string[];
  messages: string[];
}

/** Classifies `error` (any shape) as transient or permanent. */
export function classifyAdxError(error: unknown): AdxFailure {
  const found = collect(error);
  const detail = found.kustoMessage ?? found.messages[0] ?? String(error);
  const status = found.status;
  const statusReason = status !== undefined ? `HTTP ${status}` : undefined;

  if (found.kustoPermanent !== undefined) {
    return verdict(found.kustoPermanent, status, statusReason ?? 'service error', detail);
  }
  if (status !== undefined) {
    const transient = status === 408 || status === 429 || status >= 500;
    const permanent = !transient && status >= 400;
    if (transient || permanent) return verdict(permanent, status, statusReason!, detail);
  }
  if (found.names.includes('ThrottlingError')) return verdict(false, status, 'throttled', detail);
  const networkCode = found.code && NETWORK_CODES.has(found.code) ? found.code : undefined;
  const networkText = found.messages.map((m) => NETWORK_TEXT.exec(m)?.[1]).find((m) => m !== undefined);
  if (networkCode || networkText) {
    const what = found.names.includes('KustoAuthenticationError') ? 'token acquisition failed: ' : '';
    return verdict(false, status, `${what}network error (${networkCode ?? networkText})`, detail);
  }
  if (found.names.includes('KustoAuthenticationError')) {
    return verdict(true, status, 'authentication failed', detail);
  }
  if (found.names.includes('IngestionPropertiesValidationError')) {
    return verdict(true, status, 'invalid ingestion properties', detail);
  }
  if (found.messages.some((m) => SDK_STORAGE_TEXT.test(m))) {
    return verdict(false, status, 'storage unavailable', detail);
  }
  return verdict(false, status, 'unclassified error', detail);
}

function verdict(permanent: boolean, status: number | undefined, reason: string, detail: string): AdxFailure {
  return { permanent, status, reason, detail };
}

function collect(error: unknown): Findings {
  const found: Findings = { names: [], messages: [] };
  let current: unknown = error;
  // Follow inner/cause links a few levels: SDK errors wrap axios or storage errors.
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const e = current as Record<string, unknown>;
    if (typeof e.name === 'string') found.names.push(e.name);
    if (typeof e.message === 'string' && e.message) found.messages.push(e.message);
    if (typeof e.code === 'string' && found.code === undefined) found.code = e.code;
    found.status ??= statusOf(e);
    readKustoErrorBody(e, found);
    current = e.inner ?? e.cause ?? e.innerError;
  }
  if (found.status === undefined) {
    for (const message of found.messages) {
      const match = STATUS_TEXT.exec(message);
      if (match) {
        found.status = Number(match[1]);
        break;
      }
    }
  }
  return found;
}

function statusOf(e: Record<string, unknown>): number | undefined {
  const response = e.response as Record<string, unknown> | undefined;
  if (response && typeof response.status === 'number') return response.status;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

// Kusto REST error bodies: {"error": {"code", "message", "@message", "@permanent", ...}}.
function readKustoErrorBody(e: Record<string, unknown>, found: Findings): void {
  const response = e.response as { data?: unknown } | undefined;
  let data = response?.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return;
    }
  }
  const body = (data as { error?: Record<string, unknown> } | undefined)?.error;
  if (!body || typeof body !== 'object') return;
  if (typeof body['@permanent'] === 'boolean' && found.kustoPermanent === undefined) {
    found.kustoPermanent = body['@permanent'];
  }
  const message = body['@message'] ?? body.message;
  if (typeof message === 'string' && found.kustoMessage === undefined) found.kustoMessage = message;
}
