import { describe, expect, it } from 'vitest';
import { avg, count, max, min, sum } from '../../../src/aggregations/index.js';
import { fold } from './random.js';

interface Reading {
  host: string;
  ms?: number;
}

const readings: Reading[] = [
  { host: 'a', ms: 5 },
  { host: 'b', ms: -2.5 },
  { host: 'c', ms: 12 },
  { host: 'd', ms: 0.5 },
];
const broken: Reading[] = [
  { host: 'nan', ms: Number.NaN },
  { host: 'inf', ms: Number.POSITIVE_INFINITY },
  { host: '-inf', ms: Number.NEGATIVE_INFINITY },
  { host: 'missing' },
];
const ms = (r: Reading) => r.ms as number;

describe('count', () => {
  it('counts every record, including ones with missing fields, and merges by addition', () => {
    const agg = count<Reading>();
    expect(agg.result(agg.init())).toBe(0);
    const a = fold(agg, readings);
    const b = fold(agg, broken);
    expect(agg.result(a)).toBe(4);
    expect(agg.result(agg.merge(a, b))).toBe(8);
  });
});

describe('sum', () => {
  it('sums selected numbers, 0 when empty', () => {
    const agg = sum(ms);
    expect(agg.result(agg.init())).toBe(0);
    expect(agg.result(fold(agg, readings))).toBe(15);
  });

  it('skips NaN, ±Infinity and undefined instead of poisoning the sum', () => {
    const agg = sum(ms);
    expect(agg.result(fold(agg, [...broken, ...readings, ...broken]))).toBe(15);
  });

  it('merges two partial sums into the sum of both', () => {
    const agg = sum(ms);
    const merged = agg.merge(fold(agg, readings.slice(0, 2)), fold(agg, readings.slice(2)));
    expect(agg.result(merged)).toBe(15);
  });
});

describe('min and max', () => {
  it('are null when empty or when every value was skipped', () => {
    expect(min(ms).result(min(ms).init())).toBeNull();
    expect(max(ms).result(fold(max(ms), broken))).toBeNull();
    expect(min(ms).result(fold(min(ms), broken))).toBeNull();
  });

  it('find the extremes of finite values only', () => {
    const values = [...broken, ...readings];
    expect(min(ms).result(fold(min(ms), values))).toBe(-2.5);
    expect(max(ms).result(fold(max(ms), values))).toBe(12);
  });

  it('merge with empty sides on either hand', () => {
    const lo = min(ms);
    const hi = max(ms);
    expect(lo.merge(lo.init(), fold(lo, readings))).toBe(-2.5);
    expect(lo.merge(fold(lo, readings), lo.init())).toBe(-2.5);
    expect(lo.merge(fold(lo, [{ host: 'x', ms: 3 }]), fold(lo, [{ host: 'y', ms: 1 }]))).toBe(1);
    expect(hi.merge(hi.init(), fold(hi, readings))).toBe(12);
    expect(hi.merge(fold(hi, readings), hi.init())).toBe(12);
    expect(hi.merge(fold(hi, [{ host: 'x', ms: 3 }]), fold(hi, [{ host: 'y', ms: 7 }]))).toBe(7);
    expect(hi.merge(hi.init(), hi.init())).toBeNull();
  });
});

describe('avg', () => {
  it('is null when empty and the mean of finite values otherwise', () => {
    const agg = avg(ms);
    expect(agg.result(agg.init())).toBeNull();
    expect(agg.result(fold(agg, broken))).toBeNull();
    expect(agg.result(fold(agg, [...broken, ...readings]))).toBe(15 / 4);
  });

  it('merges sums and counts, so the merged mean weighs both sides by their size', () => {
    const agg = avg((x: number) => x);
    const merged = agg.merge(fold(agg, [1, 1, 1]), fold(agg, [5]));
    expect(agg.result(merged)).toBe(2);
    expect(merged).toEqual({ sum: 8, count: 4 });
  });
});
