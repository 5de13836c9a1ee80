/**
 * Live capture on the loopback interface while the test makes real TCP and DNS traffic to
 * 127.0.0.1 (plus UDP in live-capture.test.ts): a TCP handshake, data and close between a Node
 * server and client, and a DNS query from Node's own resolver to a small responder that answers
 * NXDOMAIN. The packets appear with their TCP flags, ports and DNS fields.
 */
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type PacketRecord, type TsharkSource, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { waitFor } from './source-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function collect(source: TsharkSource, records: PacketRecord[]): void {
  void (async () => {
    for await (const batch of source.batches(new AbortController().signal)) records.push(...batch);
  })();
}

/** An echo server on a free loopback port. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/** A DNS responder that answers every query with NXDOMAIN (same id and question, rcode 3). */
async function nxdomainResponder(): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('message', (query, from) => {
    const answer = Buffer.from(query);
    answer[2] = 0x81; // QR=1, opcode 0, RD=1
    answer[3] = 0x83; // RA=1, rcode 3 (NXDOMAIN)
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

describe('live capture of real TCP and DNS traffic on lo', () => {
  it('sees the TCP handshake, data and close, and the DNS query and NXDOMAIN answer', async () => {
    const { port: tcpPort } = await echoServer();
    const dnsPort = await nxdomainResponder();
    const source = tsharkSource({
      interface: 'lo',
      captureFilter: `tcp port ${tcpPort} or udp port ${dnsPort}`,
      // The responder is not on port 53, so tell tshark to decode its port as DNS.
      tsharkArgs: ['-d', `udp.port==${dnsPort},dns`],
      maxWait: '20ms',
    });
    cleanups.push(() => source.close());
    const records: PacketRecord[] = [];
    collect(source, records);

    // Connect until the capture sees our SYN: then it is known to be running.
    const exchange = async () => {
      const client = connect(tcpPort, '127.0.0.1');
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
      client.write('hello over tcp');
      await new Promise<void>((resolve) => client.once('data', () => resolve()));
      client.end();
      await new Promise<void>((resolve) => client.once('close', () => resolve()));
    };
    const deadline = Date.now() + 30_000;
    while (!records.some((r) => r.value.dstPort === tcpPort && r.value.tcpSyn)) {
      if (Date.now() > deadline) throw new Error('the live capture did not start within 30 s');
      await exchange();
      await new Promise((r) => setTimeout(r, 100));
    }
    records.length = 0;
    await exchange();

    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dnsPort}`]);
    await expect(resolver.resolve4('tributary.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });

    await waitFor(
      () =>
        records.some((r) => r.value.dnsIsResponse === true) && records.some((r) => r.value.tcpFin === true),
      15_000,
      'the TCP close and the DNS answer to be captured',
    );
    const tcp = records.filter((r) => r.value.protocols.includes('tcp'));
    const syn = tcp.find((r) => r.value.tcpSyn && !r.value.tcpAck);
    const synAck = tcp.find((r) => r.value.tcpSyn && r.value.tcpAck);
    expect(syn?.value).toMatchObject({
      srcIp: '127.0.0.1',
      dstIp: '127.0.0.1',
      dstPort: tcpPort,
      topLayer: 'tcp',
    });
    expect(syn?.key).toBe('127.0.0.1');
    expect(synAck?.value.srcPort).toBe(tcpPort);
    expect(tcp.some((r) => r.value.tcpPsh && r.value.dstPort === tcpPort)).toBe(true);
    expect(tcp.some((r) => r.value.tcpFin)).toBe(true);

    const dns = records.filter((r) => r.value.topLayer === 'dns');
    const query = dns.find((r) => r.value.dnsIsResponse === false);
    const answer = dns.find((r) => r.value.dnsIsResponse === true);
    expect(query?.value).toMatchObject({ dnsQueryName: 'tributary.test', dnsQueryType: 1, dstPort: dnsPort });
    expect(answer?.value).toMatchObject({ dnsQueryName: 'tributary.test', dnsRcode: 3, srcPort: dnsPort });
    expect(answer?.value.dnsResponseTimeMs).toBeGreaterThanOrEqual(0);
  });
});
