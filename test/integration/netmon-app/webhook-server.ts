/** A local HTTP server that records POSTed JSON bodies and answers with scripted statuses. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface ReceivedPost {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A running recording server. */
export interface WebhookServer {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedPost[];
  close(): Promise<void>;
}

/** Starts on 127.0.0.1; `statusFor(n)` decides the status of the n-th request (0-based); default 200. */
export async function startWebhookServer(
  statusFor: (n: number) => number | 'hang' = () => 200,
): Promise<WebhookServer> {
  const received: ReceivedPost[] = [];
  let n = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const status = statusFor(n++);
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      if (status === 'hang') return;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v2/alerts`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
