import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequestError } from './http-params.js';
import { StoreUnavailableError, UnknownStoreError } from './query-errors.js';
import { type QueryableApp, type RouteResult, route } from './query-routes.js';

/** Options of {@link queryServer}. */
export interface QueryServerOptions {
  /** Port to listen on. Default 0: any free port (read it from `port`). */
  readonly port?: number;
  /** Interface to bind. Default "127.0.0.1": reachable from this machine only. */
  readonly host?: string;
  /** Most entries a range, scan or window fetch returns (`limit` may ask for fewer). Default 1,000. */
  readonly maxResults?: number;
}

/** A running query server. */
export interface QueryServer {
  readonly host: string;
  readonly port: number;
  /** "http://host:port". */
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Serves an app's interactive queries as JSON over HTTP (GET only): `/stores`,
 * `/stores/:name/keys/:key` (404 when absent, 421 with `{ host, port }` when another instance
 * holds the key), `/stores/:name/range?from&to`, `/stores/:name/all`,
 * `/stores/:name/windows?key&from&to`, `/stores/:name/sessions?key&from&to`,
 * `/stores/:name/metadata/:key` and `/metadata`. Keys are strings unless `keyFormat=json`.
 * Bad input answers 400, an unknown store 404, a store that is restoring or rebalancing 503.
 * On Kafka, set `kafka.applicationServer` to the address clients reach this server at.
 */
export async function queryServer(app: QueryableApp, options: QueryServerOptions = {}): Promise<QueryServer> {
  const host = options.host ?? '127.0.0.1';
  const maxResults = options.maxResults ?? 1000;
  const server = createServer((request, response) => {
    void answer(app, request, maxResults).then((result) => send(response, result));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(app: QueryableApp, request: IncomingMessage, maxResults: number): Promise<RouteResult> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return { status: 405, body: { error: `Only GET is served, not ${request.method}.` } };
  try {
    return await route(app, new URL(request.url ?? '/', 'http://query.local'), maxResults);
  } catch (error) {
    return failure(error);
  }
}

/** Maps an error to its status: what the caller did wrong (4xx), or what is not ready yet (503). */
function failure(error: unknown): RouteResult {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BadRequestError) return { status: 400, body: { error: message } };
  if (error instanceof UnknownStoreError)
    return { status: 404, body: { error: message, knownStores: error.knownStores } };
  if (error instanceof StoreUnavailableError)
    return { status: 503, body: { error: message, reason: error.reason, retriable: error.retriable } };
  // The store's key codec rejects keys it cannot encode (NaN, functions...): the caller's input.
  if (error instanceof TypeError) return { status: 400, body: { error: message } };
  return { status: 500, body: { error: message } };
}

function send(response: ServerResponse, result: RouteResult): void {
  const text = JSON.stringify(result.body, jsonReplacer);
  response.writeHead(result.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(result.status === 503 ? { 'retry-after': '1' } : {}),
  });
  response.end(text);
}

/** Values JSON cannot hold as they are: bigints as strings, Maps as objects, Sets as arrays. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
