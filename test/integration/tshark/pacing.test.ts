/**
 * Replay at recorded speed: a capture spanning about one second takes about one second to replay,
 * each packet handed over no earlier than its offset in the capture (lower bounds only: a loaded
 * machine may be slower, never faster).
 */
import { afterAll, describe, expect, it } from 'vitest';
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

const { dir, cleanup } = tempDir('tributary-tshark-pacing-');
afterAll(cleanup);

const T0 = 1_700_000_000_000_000;
/** 21 packets, 50 ms apart: the capture spans 1 s. */
const OFFSETS_MS = Array.from({ length: 21 }, (_, i) => i * 50);

function spacedCapture(): PcapPacket[] {
  return OFFSETS_MS.map((offset, i) => ({
    timestampMicros: T0 + offset * 1000,
    frame: ethernet(
      '02:00:00:00:00:01',
      '02:00:00:00:00:02',
      ETHERTYPE_IPV4,
      ipv4('10.2.0.1', '10.2.0.2', IPPROTO_UDP, udp(7000 + i, 8000, Buffer.from('tick'))),
    ),
  }));
}

/** Replays `file` and returns, per packet, when (ms after the first) it was handed over. */
async function arrivalOffsets(
  file: string,
  options: { pacing: 'fast' | 'recorded'; speed?: number; maxWait?: `${number}s` },
) {
  const source = tsharkSource({ file, batchSize: 100, ...options });
  const arrivals: number[] = [];
  let first: number | undefined;
  for await (const batch of source.batches(new AbortController().signal)) {
    const now = performance.now();
    first ??= now;
    for (const _ of batch) arrivals.push(now - first);
  }
  return arrivals;
}

describe('pacing', () => {
  const file = `${dir}/spaced.pcap`;
  writePcap(file, spacedCapture());

  it('at recorded speed, a 1 s capture takes at least about 1 s and no packet comes early', async () => {
    const arrivals = await arrivalOffsets(file, { pacing: 'recorded' });
    expect(arrivals).toHaveLength(OFFSETS_MS.length);
    // Offsets are measured from when the consumer got the first packet, a little after the pacer
    // started its clock: allow 10 ms of slack; without pacing everything would arrive at once.
    arrivals.forEach((arrival, i) => {
      expect(arrival).toBeGreaterThanOrEqual(OFFSETS_MS[i]! - 10);
    });
    expect(arrivals.at(-1)).toBeGreaterThanOrEqual(950);
  });

  it('at speed 4, the same capture takes at least a quarter of that', async () => {
    const arrivals = await arrivalOffsets(file, { pacing: 'recorded', speed: 4 });
    arrivals.forEach((arrival, i) => {
      expect(arrival).toBeGreaterThanOrEqual(OFFSETS_MS[i]! / 4 - 10);
    });
    expect(arrivals.at(-1)).toBeGreaterThanOrEqual(230);
  });

  it('fast replay hands everything over in one batch, with no pacing', async () => {
    // A long maxWait so that only pacing could split the batch.
    const arrivals = await arrivalOffsets(file, { pacing: 'fast', maxWait: '30s' });
    expect(arrivals).toEqual(OFFSETS_MS.map(() => 0));
  });
});
