import { describe, expect, it } from 'vitest';
import { firstWindowCrossing } from '../../../examples/network-monitor/traffic/labels.js';
import { PacketQueue } from '../../../examples/network-monitor/traffic/packet-queue.js';

const window = { sizeMs: 10_000, advanceMs: 5_000 };
const micros = (ms: number) => ms * 1000;

describe('firstWindowCrossing', () => {
  it('returns the packet that makes one hopping window hold more than the threshold', () => {
    // Windows [0,10s), [5s,15s), [10s,20s): four packets at 6..9 s fall in the first two windows.
    const times = [1_000, 6_000, 7_000, 8_000, 9_000].map(micros);
    expect(firstWindowCrossing(times, 4, window)).toBe(micros(9_000)); // 5th in [0,10s)
    expect(firstWindowCrossing(times, 5, window)).toBeUndefined();
  });

  it('counts per window, not over the whole list', () => {
    // Three packets early, three late: no 10 s window holds more than three.
    const times = [0, 1_000, 2_000, 20_000, 21_000, 22_000].map(micros);
    expect(firstWindowCrossing(times, 3, window)).toBeUndefined();
    expect(firstWindowCrossing(times, 2, window)).toBe(micros(2_000));
  });
});

describe('PacketQueue', () => {
  it('drains in time order, ties in insertion order, and keeps later packets', () => {
    const queue = new PacketQueue();
    const at = (t: number, tag: number) => ({ timestampMicros: t, frame: Buffer.from([tag]) });
    for (const p of [at(30, 1), at(10, 2), at(20, 3), at(10, 4), at(50, 5)]) queue.push(p);
    const first = [...queue.drainBefore(40)].map((p) => p.frame[0]);
    expect(first).toEqual([2, 4, 3, 1]);
    expect(queue.size).toBe(1);
    expect([...queue.drainBefore(Number.POSITIVE_INFINITY)].map((p) => p.frame[0])).toEqual([5]);
  });
});
