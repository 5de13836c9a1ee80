/**
 * Live capture on the loopback interface with a capture filter: every UDP datagram the test sends
 * to the chosen port arrives as a Packet; shutdown leaves no process, zombie or FIFO behind; and a
 * consumer that stops pulling makes the kernel drop packets, which the source reports.
 */
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type PacketRecord, type TsharkSource, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { processExists, processState, waitFor } from './source-helpers.js';

const sockets: Socket[] = [];
const sources: TsharkSource[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const source of sources.splice(0)) await source.close();
});

/** A port in the dynamic range that no other test of this file uses. */
function testPort(offset: number): number {
  return 40_000 + ((process.pid * 7 + offset * 101) % 20_000);
}

async function sender(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function send(socket: Socket, port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(payload, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );
}

/** Iterates `source` in the background into `records`; resolves when the iteration ends. */
function collect(source: TsharkSource, records: PacketRecord[], signal: AbortSignal): Promise<void> {
  return (async () => {
    for await (const batch of source.batches(signal)) records.push(...batch);
  })();
}

/**
 * Sends warm-up datagrams to `warmPort` until one shows up in `records`, so the capture is known to
 * be running before the datagrams under test are sent.
 */
async function waitUntilCapturing(socket: Socket, warmPort: number, records: PacketRecord[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!records.some((r) => r.value.dstPort === warmPort)) {
    if (Date.now() > deadline) throw new Error('the live capture did not start within 30 s');
    await send(socket, warmPort, Buffer.from('warm-up'));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('live capture on lo', () => {
  it('delivers every datagram sent to the filtered port, then shuts down cleanly', async () => {
    const port = testPort(1);
    const source = tsharkSource({
      interface: 'lo',
      captureFilter: `udp and (dst port ${port} or dst port ${port + 1})`,
      maxWait: '20ms',
    });
    sources.push(source);
    const records: PacketRecord[] = [];
    const done = collect(source, records, new AbortController().signal);
    const socket = await sender();
    await waitUntilCapturing(socket, port + 1, records);
    const { tshark, dumpcap } = source.processIds;
    expect(tshark).toBeGreaterThan(0);
    expect(dumpcap).toBeGreaterThan(0);

    const count = 200;
    const sentAt = Date.now();
    for (let i = 0; i < count; i++)
      await send(socket, port, Buffer.from(`datagram ${String(i).padStart(4, '0')}`));
    await waitFor(
      () => records.filter((r) => r.value.dstPort === port).length >= count,
      30_000,
      'all datagrams',
    );

    const captured = records.filter((r) => r.value.dstPort === port);
    expect(captured).toHaveLength(count);
    const { port: srcPort } = socket.address();
    for (const { key, value, timestamp } of captured) {
      expect(key).toBe('127.0.0.1');
      expect(value.srcIp).toBe('127.0.0.1');
      expect(value.dstIp).toBe('127.0.0.1');
      expect(value.ipVersion).toBe(4);
      expect(value.srcPort).toBe(srcPort);
      expect(value.topLayer).toBe('udp');
      expect(value.length).toBe(14 + 20 + 8 + 'datagram 0000'.length);
      expect(timestamp).toBe(value.timestamp);
      expect(Math.abs(timestamp - sentAt)).toBeLessThan(60_000);
    }
    // In capture order.
    const stamps = captured.map((r) => r.value.timestampMicros);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));

    await source.close();
    await done;
    expect(processExists(tshark!)).toBe(false);
    expect(processExists(dumpcap!)).toBe(false);
    // dumpcap was stopped with SIGTERM, so it reported its statistics.
    expect(source.tsharkReceived).toBeGreaterThanOrEqual(count);
    expect(source.tsharkDropped).toBe(0);
  });

  it('stops on abort, leaving no process behind', async () => {
    const port = testPort(2);
    const source = tsharkSource({ interface: 'lo', captureFilter: `udp dst port ${port}`, maxWait: '20ms' });
    sources.push(source);
    const records: PacketRecord[] = [];
    const controller = new AbortController();
    const done = collect(source, records, controller.signal);
    const socket = await sender();
    await waitUntilCapturing(socket, port, records);
    const { tshark, dumpcap } = source.processIds;
    controller.abort();
    await done;
    expect(processState(tshark!)).toBeUndefined();
    expect(processState(dumpcap!)).toBeUndefined();
  });

  it('when the consumer stops pulling, the kernel drops packets and the source counts them', async () => {
    const port = testPort(3);
    const source = tsharkSource({
      interface: 'lo',
      captureFilter: `udp dst port ${port}`,
      bufferSizeMiB: 1,
      batchSize: 1,
    });
    sources.push(source);
    const iterator = source.batches(new AbortController().signal)[Symbol.asyncIterator]();
    const socket = await sender();
    // Pull until the capture runs, then stop pulling while a burst arrives.
    const first = iterator.next();
    let settled = false;
    void first.then(() => {
      settled = true;
    });
    while (!settled) {
      await send(socket, port, Buffer.from('warm-up'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const burst = 30_000;
    const payload = Buffer.alloc(512, 1);
    for (let i = 0; i < burst; i++) {
      socket.send(payload, port, '127.0.0.1');
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { dumpcap } = source.processIds;
    await iterator.return?.();
    expect(source.tsharkDropped).toBeGreaterThan(0);
    expect(source.tsharkReceived! + source.tsharkDropped).toBeGreaterThan(burst / 2);
    expect(source.packetsRead).toBeLessThan(burst);
    expect(existsSync(`/proc/${dumpcap}`)).toBe(false);
  });
});
