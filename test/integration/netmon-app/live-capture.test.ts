/**
 * The monitor's live-capture path, spawned as a user runs it (`--interface lo --duration 30s
 * --no-tty`): once the capture runs, the test makes known traffic on loopback (UDP datagrams, DNS
 * queries answered by a responder on port 53, TCP echo exchanges, HTTP requests to a server on port
 * 80, all on 127.0.83.53 so tshark decodes them by their well-known ports) and the run's JSON summary
 * must count at least that much per protocol (loopback carries other traffic too, e.g. brokers).
 * Also the two errors a live capture meets: an interface that does not exist, and a user without
 * capture permission (the monitor run as `nobody`). Needs root, as live capture and ports 53/80 do.
 */
import { createSocket, type Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { chmodSync, mkdtempSync } from 'node:fs';
import { request as httpRequest, createServer as httpServer } from 'node:http';
import { connect, createServer as tcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMonitorCli, startMonitor, summaryOf } from './run-cli.js';

/** A loopback address of the test's own, so its well-known ports are free. */
const HOST = '127.0.83.53';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function closing(server: { close(cb: () => void): unknown }): () => Promise<void> {
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A DNS responder on HOST:53 answering every query with NXDOMAIN (same id and question). */
async function dnsResponder(): Promise<void> {
  const socket = createSocket('udp4');
  socket.on('message', (query, from) => {
    const answer = Buffer.from(query);
    answer[2] = 0x81; // QR=1, RD=1
    answer[3] = 0x83; // RA=1, rcode 3 (NXDOMAIN)
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(53, HOST, resolve));
  cleanups.push(closing(socket));
}

/** A TCP echo server on a free port of HOST. */
async function echoServer(): Promise<number> {
  const server = tcpServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  cleanups.push(closing(server));
  return (server.address() as { port: number }).port;
}

/** An HTTP server on HOST:80 answering every request with a short text. */
async function webServer(): Promise<void> {
  const server = httpServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(80, HOST, resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return closing(server)();
  });
}

async function udpSender(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(closing(socket));
  return socket;
}

function sendDatagram(socket: Socket, port: number): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(Buffer.from('netmon live test'), port, HOST, (e) => (e ? reject(e) : resolve())),
  );
}

/** Connect, send, read the echo, close: at least SYN, SYN-ACK, ACK and two FINs. */
async function tcpExchange(port: number): Promise<void> {
  const client = connect(port, HOST);
  await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
  client.write('hello over tcp');
  await new Promise<void>((resolve) => client.once('data', () => resolve()));
  client.end();
  await new Promise<void>((resolve) => client.once('close', () => resolve()));
}

/** One HTTP request on a fresh connection: the request and the response are HTTP packets. */
function httpGet(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: HOST, port: 80, path: '/netmon', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('network monitor live capture on lo (spawned run)', () => {
  it('counts the UDP, DNS, TCP and HTTP traffic made during the run', { timeout: 120_000 }, async () => {
    await dnsResponder();
    await webServer();
    const echoPort = await echoServer();
    const udp = await udpSender();
    const udpPort = 40_000 + (process.pid % 20_000);
    const dir = mkdtempSync(join(tmpdir(), 'netmon-live-'));
    const run = startMonitor([
      '--interface',
      'lo',
      '--duration',
      '30s',
      '--no-tty',
      '--duckdb',
      join(dir, 'live.duckdb'),
      '--state-dir',
      join(dir, 'state'),
    ]);
    // The capture runs once a progress line counts packets; warm-up datagrams make sure there are some.
    let capturing = false;
    void run.waitForLine(/^progress packets=[1-9]/, 60_000).then(
      () => (capturing = true),
      () => {},
    );
    let warmUps = 0;
    while (!capturing) {
      if (warmUps++ > 250)
        throw new Error(`no progress line with packets; stdout:\n${run.stdout()}${run.stderr()}`);
      await sendDatagram(udp, udpPort + 1);
      await new Promise((r) => setTimeout(r, 200));
    }

    const sent = { udp: 50, dnsQueries: 5, tcpExchanges: 5, httpRequests: 5 };
    for (let i = 0; i < sent.udp; i++) await sendDatagram(udp, udpPort);
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([HOST]);
    for (let i = 0; i < sent.dnsQueries; i++) {
      await expect(resolver.resolve4(`host${i}.netmon.test`)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    }
    for (let i = 0; i < sent.tcpExchanges; i++) await tcpExchange(echoPort);
    for (let i = 0; i < sent.httpRequests; i++) await httpGet();

    expect(await run.exited, run.stderr()).toBe(0);
    const summary = summaryOf(run.stdout());
    const counted = summary.packetsByLayer;
    // Warm-ups sent before the capture started are not counted, so only `sent.udp` is certain.
    expect(counted.udp ?? 0, JSON.stringify(summary)).toBeGreaterThanOrEqual(sent.udp);
    expect(counted.dns ?? 0).toBeGreaterThanOrEqual(2 * sent.dnsQueries); // query + answer
    expect(counted.http ?? 0).toBeGreaterThanOrEqual(2 * sent.httpRequests); // request + response
    // Handshake (3) and FINs (2) of every echo and HTTP connection.
    expect(counted.tcp ?? 0).toBeGreaterThanOrEqual(5 * (sent.tcpExchanges + sent.httpRequests));
    expect(summary.packets).toBe(Object.values(counted).reduce((a, b) => a + b, 0));
  });

  it('names an unknown interface and how to list the real ones', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmon-live-'));
    const { code, stderr } = await runMonitorCli([
      ...['--interface', 'nosuchif0', '--duration', '20s', '--no-tty'],
      ...['--duckdb', join(dir, 'x.duckdb'), '--state-dir', join(dir, 'state')],
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^netmon: There is no capture interface named "nosuchif0"/m);
    expect(stderr).toContain('tshark -D');
    expect(stderr).toContain('--interface');
  });

  it('tells a user without capture permission how to get it', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmon-live-nobody-'));
    chmodSync(dir, 0o777);
    const NOBODY = 65_534;
    const { code, stderr } = await runMonitorCli(
      [
        ...['--interface', 'lo', '--duration', '20s', '--no-tty'],
        ...['--duckdb', join(dir, 'x.duckdb'), '--state-dir', join(dir, 'state')],
      ],
      { HOME: dir, TMPDIR: dir },
      { uid: NOBODY, gid: NOBODY },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^netmon: No permission to capture on interface "lo"/m);
    expect(stderr).toContain('setcap cap_net_raw,cap_net_admin+eip /usr/bin/dumpcap');
    expect(stderr).toContain('wireshark');
  });
});
