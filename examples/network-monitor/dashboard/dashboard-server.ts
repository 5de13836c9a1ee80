/**
 * The live dashboard over node:http (no framework), on 127.0.0.1 unless told otherwise:
 *
 *   GET /                  the page (and its scripts, styles and uPlot)
 *   GET /events            Server-Sent Events: `snapshot` events (MonitorSnapshot, at most 2 a second)
 *   GET /api/snapshot      the latest snapshot
 *   GET /api/history       the per-protocol rate series (uPlot columns)
 *   GET /api/alerts        every alert of the run, in firing order
 *   GET /api/sources?q=&limit=   the current window's stats per source, busiest first (top-N here,
 *                          so thousands of sources never reach the browser)
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MonitorSnapshot } from '../types.js';
import { type DashboardFeed, type DashboardModel, searchSources } from './dashboard-model.js';
import { STATIC_FILES } from './static-files.js';

/** A running dashboard server. */
export interface DashboardServer {
  /** e.g. http://127.0.0.1:8787/ */
  readonly url: string;
  /** Sends `snapshot` to every connected page (throttled to one event per `minIntervalMs`). */
  push(snapshot: MonitorSnapshot): void;
  close(): Promise<void>;
}

/** Options of {@link startDashboardServer}. */
export interface DashboardServerOptions {
  readonly host: string;
  readonly port: number;
  readonly model: DashboardModel;
  readonly feed: DashboardFeed;
  /** Least time between two SSE events (default 500 ms: two updates a second). */
  readonly minIntervalMs?: number;
}

const MAX_SOURCES = 500;

/** Starts the dashboard; rejects with a message naming the address when it cannot listen. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const clients = new Set<ServerResponse>();
  const minInterval = options.minIntervalMs ?? 500;
  let lastPush = 0;
  const server: Server = createServer((request, response) => {
    route(request, response, options, clients).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`${error.message}\n`);
    });
  });
  // A page left open keeps its event stream: ping it so proxies and browsers keep it alive.
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, 15_000);
  keepAlive.unref();
  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    push(snapshot) {
      const now = Date.now();
      if (now - lastPush < minInterval || clients.size === 0) return;
      lastPush = now;
      const event = `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
      for (const client of clients) client.write(event);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(keepAlive);
        for (const client of clients) client.end('event: end\ndata: {}\n\n');
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: DashboardServerOptions,
  clients: Set<ServerResponse>,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://dashboard');
  if (request.method !== 'GET') {
    response.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('Only GET is served.\n');
    return;
  }
  const file = STATIC_FILES.get(url.pathname);
  if (file !== undefined) {
    const body = await readFile(file.path);
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' }).end(body);
    return;
  }
  const { model, feed } = options;
  switch (url.pathname) {
    case '/events':
      openEventStream(response, clients, model.snapshot ?? feed.current());
      return;
    case '/api/snapshot':
      return json(response, model.snapshot ?? feed.current());
    case '/api/history':
      return json(response, model.history.series());
    case '/api/alerts':
      return json(response, model.allAlerts());
    case '/api/sources':
      return json(
        response,
        searchSources(feed.currentWindowStats(), url.searchParams.get('q') ?? '', limitOf(url)),
      );
    default:
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`Not found: ${url.pathname}. The dashboard is at /, its data under /api/ and /events.\n`);
  }
}

function openEventStream(
  response: ServerResponse,
  clients: Set<ServerResponse>,
  first: MonitorSnapshot,
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.write(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(first)}\n\n`);
  clients.add(response);
  response.on('close', () => clients.delete(response));
}

function limitOf(url: URL): number {
  const limit = Number(url.searchParams.get('limit') ?? 50);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_SOURCES) : 50;
}

function json(response: ServerResponse, value: unknown): void {
  response
    .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' })
    .end(JSON.stringify(value));
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} is taken; pick another --dashboard-port (0 for any free port, "off" for none)`
          : error.message;
      reject(new Error(`The dashboard could not listen on ${host}:${port}: ${why}.`));
    });
    server.listen(port, host, resolve);
  });
}
