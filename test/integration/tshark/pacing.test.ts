/**
 * Replay at recorded speed: a capture spanning about one second takes about one second to replay,
 * each packet handed over no earlier than its offset in the capture, measured from the start of the
 * replay (lower bounds only: a loaded machine may be slower, never faster).
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

/**
 * Replays `file` and returns, per packet, when it was handed over: ms after the replay started
 * (`sinceStart`: a lower bound of the pacer's schedule, whose clock starts later, when tshark
 * yields the first packet, however loaded the machine) and ms after the first packet arrived
 * (`sinceFirst`), and how many batches it came in.
 */
async function arrivalOffsets(
  file: string,
  options: { pacing: 'fast' | 'recorded'; speed?: number; maxWait?: `${number}s` },
) {
  const source = tsharkSource({ file, batchSize: 100, ...options });
  const sinceStart: number[] = [];
  const sinceFirst: number[] = [];
  let first: number | undefined;
  let batches = 0;
  const started = performance.now();
  for await (const batch of source.batches(new AbortController().signal)) {
    const now = performance.now();
    first ??= now;
    batches++;
    for (const _ of batch) {
      sinceStart.push(now - started);
      sinceFirst.push(now - first);
    }
  }
  return { sinceStart, sinceFirst, batches };
}

/** Timers may fire up to a millisecond early, and the pacer hands over what is due within 1 ms. */
const TIMER_SLACK_MS = 2;

describe('pacing', () => {
  const file = `${dir}/spaced.pcap`;
  writePcap(file, spacedCapture());

  it('at recorded speed, a 1 s capture takes at least about 1 s and no packet comes early', async () => {
    const { sinceStart, batches } = await arrivalOffsets(file, { pacing: 'recorded' });
    expect(sinceStart).toHaveLength(OFFSETS_MS.length);
    // Paced packets are handed over as they fall due: a replay without pacing is one batch (below).
    expect(batches).toBeGreaterThanOrEqual(5);
    // Measured from before the replay started, no packet may come before its offset in the capture
    // (a loaded machine only makes packets later), so the last comes a second in at the earliest;
    // without pacing everything would arrive within a few ms.
    sinceStart.forEach((arrival, i) => {
      expect(arrival).toBeGreaterThanOrEqual(OFFSETS_MS[i]! - TIMER_SLACK_MS);
    });
  });

  it('at speed 4, the same capture takes at least a quarter of that', async () => {
    const { sinceStart, batches } = await arrivalOffsets(file, { pacing: 'recorded', speed: 4 });
    expect(sinceStart).toHaveLength(OFFSETS_MS.length);
    expect(batches).toBeGreaterThanOrEqual(2);
    sinceStart.forEach((arrival, i) => {
      expect(arrival).toBeGreaterThanOrEqual(OFFSETS_MS[i]! / 4 - TIMER_SLACK_MS);
    });
  });

  it('fast replay hands everything over in one batch, with no pacing', async () => {
    // A long maxWait so that only pacing could split the batch.
    const { sinceFirst, batches } = await arrivalOffsets(file, { pacing: 'fast', maxWait: '30s' });
    expect(batches).toBe(1);
    expect(sinceFirst).toEqual(OFFSETS_MS.map(() => 0));
  });
});
