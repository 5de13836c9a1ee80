import { createServer } from 'node:net';

/** Resolves true when nothing listens on host:port (we could bind it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Asks the OS for a free port on host. Another process could take it before we bind; start() checks again. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Picks a [client, controller] port pair for each of `count` nodes, all distinct. A `fixedPort` becomes the
 * client port of a single node, and is checked first: a taken one fails with a message that says so.
 */
export async function choosePorts(count: number, fixedPort?: number): Promise<Array<[number, number]>> {
  if (fixedPort !== undefined) {
    if (count !== 1)
      throw new Error(`A fixed port can only be given for a single-node broker, not ${count} nodes.`);
    if (!(await isPortFree(fixedPort))) {
      throw new Error(
        `Port ${fixedPort} on 127.0.0.1 is already taken by another process. Stop that process or choose ` +
          `another port (leave the port out to pick a free one).`,
      );
    }
  }
  const taken = new Set<number>(fixedPort === undefined ? [] : [fixedPort]);
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) pairs.push([fixedPort ?? (await next()), await next()]);
  return pairs;
}

/** `count` free ports on 127.0.0.1, none of them in `taken` (which they are added to). */
export async function morePorts(count: number, taken: Set<number>): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (taken.has(port)) continue;
    taken.add(port);
    ports.push(port);
  }
  return ports;
}
