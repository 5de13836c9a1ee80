/**
 * Backpressure: after one batch, a consumer that stops pulling stops the reading of tshark's stdout.
 * tshark then blocks on its pipe (the bytes it has written, from /proc/PID/io, stop growing), our
 * heap does not grow, and pulling again resumes to the exact total.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { tsharkSource } from '../../../src/connectors/tshark/index.js';
import {
  ETHERTYPE_IPV4,
  ethernet,
  IPPROTO_UDP,
  ipv4,
  type PcapPacket,
  udp,
  writePcap,
} from '../../helpers/pcap.js';
import { tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-tshark-backpressure-');
afterAll(cleanup);

const PACKETS = 30_000;
const BATCH = 100;

function capture(): PcapPacket[] {
  return Array.from({ length: PACKETS }, (_, i) => ({
    timestampMicros: 1_700_000_000_000_000 + i * 10,
    frame: ethernet(
      '02:00:00:00:00:01',
      '02:00:00:00:00:02',
      ETHERTYPE_IPV4,
      ipv4(
        `10.3.${(i >> 8) & 255}.${i & 255}`,
        '10.3.255.1',
        IPPROTO_UDP,
        udp(9000, 9001, Buffer.alloc(32, 7)),
      ),
    ),
  }));
}

/** Bytes tshark has written so far (stdout and stderr), from /proc. */
function bytesWritten(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^wchar: (\d+)$/m.exec(io)![1]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('stops reading while the consumer does not pull, then resumes to the exact count', async () => {
  const file = `${dir}/many.pcap`;
  writePcap(file, capture());
  const source = tsharkSource({ file, batchSize: BATCH });
  const iterator = source.batches(new AbortController().signal)[Symbol.asyncIterator]();

  const first = await iterator.next();
  expect(first.value).toHaveLength(BATCH);
  const pid = source.processIds.tshark!;

  // Let tshark fill the pipe until it blocks: its written byte count stops moving.
  let written = bytesWritten(pid);
  for (let settled = 0; settled < 3; ) {
    await sleep(200);
    const now = bytesWritten(pid);
    settled = now === written ? settled + 1 : 0;
    written = now;
  }
  const bytesReadBefore = source.bytesRead;
  const heapBefore = process.memoryUsage().heapUsed;

  await sleep(1500);

  expect(bytesWritten(pid)).toBe(written);
  expect(source.bytesRead).toBe(bytesReadBefore);
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * 1024 * 1024);
  expect(source.packetsRead).toBeLessThan(PACKETS / 4);

  let total = first.value!.length;
  let largest = 0;
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
    total += step.value.length;
    largest = Math.max(largest, step.value.length);
  }
  expect(total).toBe(PACKETS);
  expect(source.packetsRead).toBe(PACKETS);
  expect(largest).toBeLessThanOrEqual(BATCH);
  // What tshark had written while blocked is a small part of its whole output: the rest waited.
  expect(written).toBeLessThan(source.bytesRead / 4);
  expect(source.pausedMs).toBeGreaterThanOrEqual(1500);
});
