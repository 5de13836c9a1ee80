import { describe, expect, it } from 'vitest';
import { aggregator, combine, count, max, percentiles, stats, sum } from '../../../src/aggregations/index.js';
import { TributaryError } from '../../../src/runtime/errors.js';
import { fold } from './random.js';

interface Packet {
  src: string;
  len: number;
  rttMs: number;
}

const packets: Packet[] = Array.from({ length: 100 }, (_, i) => ({
  src: `10.0.0.${i % 7}`,
  len: 60 + i,
  rttMs: i + 1,
}));

describe('combine', () => {
  const traffic = combine({
    count: count<Packet>(),
    bytes: sum((p: Packet) => p.len),
    slowest: max((p: Packet) => p.rttMs),
    rtt: percentiles((p: Packet) => p.rttMs, [0, 1]),
  });

  it("keeps each part's accumulator under its name and reports each part's result", () => {
    const acc = fold(traffic, packets);
    expect(Object.keys(acc)).toEqual(['count', 'bytes', 'slowest', 'rtt']);
    expect(acc.count).toBe(100);
    expect(traffic.result(acc)).toEqual({
      count: 100,
      bytes: packets.reduce((total, p) => total + p.len, 0),
      slowest: 100,
      rtt: { p0: 1, p100: 100 },
    });
  });

  it('reports each part as empty for an empty group', () => {
    expect(traffic.result(traffic.init())).toEqual({ count: 0, bytes: 0, slowest: null, rtt: null });
  });

  it('merges part by part', () => {
    const merged = traffic.merge(fold(traffic, packets.slice(0, 30)), fold(traffic, packets.slice(30)));
    expect(traffic.result(merged)).toEqual(traffic.result(fold(traffic, packets)));
  });

  it('adds to every part, however many there are', () => {
    for (const size of [0, 1, 5, 6, 7, 9]) {
      const parts = Object.fromEntries(
        Array.from({ length: size }, (_, i) => [`part${i}`, sum((p: Packet) => p.len * (i + 1))]),
      );
      const agg = combine(parts);
      const expected = Object.fromEntries(
        Array.from({ length: size }, (_, i) => [`part${i}`, (i + 1) * (60 + 61 + 62)]),
      );
      expect(agg.result(fold(agg, packets.slice(0, 3))), `${size} parts`).toEqual(expected);
    }
  });

  it('is available on the stats namespace, with every helper', () => {
    const agg = stats.combine({
      n: stats.count<Packet>(),
      total: stats.sum((p: Packet) => p.len),
      low: stats.min((p: Packet) => p.rttMs),
      high: stats.max((p: Packet) => p.rttMs),
      mean: stats.avg((p: Packet) => p.rttMs),
      sources: stats.distinctCount((p: Packet) => p.src),
      median: stats.percentiles((p: Packet) => p.rttMs, [0.5]),
      custom: stats.aggregator(
        () => 0,
        (acc, p: Packet) => acc + p.len * 2,
        (a, b) => a + b,
      ),
    });
    const result = agg.result(fold(agg, packets));
    expect(result).toMatchObject({ n: 100, low: 1, high: 100, mean: 50.5, sources: 7 });
    expect(result.custom).toBe(2 * result.total);
    expect(result.median?.p50).toBeCloseTo(50.5, 5);
  });
});

describe('aggregator (from functions)', () => {
  it('adapts an initializer and an adder; the accumulator is the result', () => {
    const lengths = aggregator(
      () => [] as number[],
      (acc, p: Packet) => {
        acc.push(p.len);
        return acc;
      },
    );
    expect(lengths.result(fold(lengths, packets.slice(0, 3)))).toEqual([60, 61, 62]);
  });

  it('uses the merger and result mapping when given', () => {
    const meanLength = aggregator(
      () => ({ total: 0, n: 0 }),
      (acc, p: Packet) => ({ total: acc.total + p.len, n: acc.n + 1 }),
      (a, b) => ({ total: a.total + b.total, n: a.n + b.n }),
      (acc) => (acc.n === 0 ? null : acc.total / acc.n),
    );
    expect(meanLength.result(meanLength.init())).toBeNull();
    const merged = meanLength.merge(
      fold(meanLength, packets.slice(0, 50)),
      fold(meanLength, packets.slice(50)),
    );
    expect(meanLength.result(merged)).toBe(109.5);
  });

  it('without a merger, merge throws an error that says how to fix it', () => {
    const noMerge = aggregator(
      () => 0,
      (acc: number) => acc + 1,
    );
    expect(() => noMerge.merge(1, 2)).toThrow(TributaryError);
    expect(() => noMerge.merge(1, 2)).toThrow(/third argument/);
  });
});

describe('the group key', () => {
  it('reaches parts built with aggregator(), also through combine', () => {
    const keys = aggregator(
      () => [] as string[],
      (acc, _p: Packet, key?: unknown) => {
        acc.push(String(key));
        return acc;
      },
    );
    const agg = combine({ keys, n: count<Packet>() });
    let acc = agg.init();
    acc = agg.add(acc, packets[0]!, 'host-a');
    acc = agg.add(acc, packets[1]!, 'host-b');
    expect(agg.result(acc)).toEqual({ keys: ['host-a', 'host-b'], n: 2 });
  });
});
