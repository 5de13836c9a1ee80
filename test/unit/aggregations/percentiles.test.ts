import { describe, expect, it } from 'vitest';
import { percentiles, quantileKey } from '../../../src/aggregations/index.js';
import { TributaryError } from '../../../src/runtime/errors.js';
import { fold, normal, rankError, seededRandom } from './random.js';

const QUANTILES = [0.001, 0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999] as const;
const identity = (x: number) => x;

const datasets: Record<string, (random: () => number) => number> = {
  uniform: (random) => random() * 1000,
  normal: (random) => 50 + 10 * normal(random),
  'log-normal (heavy tail)': (random) => Math.exp(2 * normal(random)),
  'pareto α=1.2 (heavier tail)': (random) => 1 / (1 - random()) ** (1 / 1.2),
  'integers with many ties': (random) => Math.floor(random() * 20),
};

function sample(name: string, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const make = datasets[name]!;
  return Array.from({ length: n }, () => make(random));
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The worst rank error over the quantiles (see rankError). */
function worstRankError(result: Record<string, number>, sorted: readonly number[]): number {
  return Math.max(...QUANTILES.map((q) => rankError(sorted, result[quantileKey(q)]!, q)));
}

describe('percentiles: accuracy against exact quantiles (100k values)', () => {
  for (const name of Object.keys(datasets)) {
    it(`${name}: every quantile from p0.1 to p99.9 within 1 % rank error`, () => {
      const values = sample(name, 100_000, 7);
      const agg = percentiles(identity, QUANTILES);
      const result = agg.result(fold(agg, values));
      expect(result).not.toBeNull();
      expect(worstRankError(result!, sortedCopy(values))).toBeLessThan(0.01);
    });
  }

  it('stays within the smallest and largest value seen', () => {
    const values = sample('pareto α=1.2 (heavier tail)', 20_000, 3);
    const agg = percentiles(identity, [0, 0.5, 1]);
    const result = agg.result(fold(agg, values))!;
    expect(result.p0).toBe(Math.min(...values));
    expect(result.p100).toBe(Math.max(...values));
    expect(result.p50).toBeGreaterThan(result.p0);
  });

  it('is exact for a handful of values', () => {
    const agg = percentiles(identity, [0, 0.5, 1]);
    expect(agg.result(fold(agg, [5, 1, 4, 2, 3]))).toEqual({ p0: 1, p50: 3, p100: 5 });
    expect(agg.result(fold(agg, [42]))).toEqual({ p0: 42, p50: 42, p100: 42 });
  });

  it('keeps centroids bounded by the compression', () => {
    const agg = percentiles(identity, [0.5], { compression: 50 });
    const acc = fold(agg, sample('normal', 200_000, 11));
    expect(acc.means.length).toBeLessThanOrEqual(50);
    expect(acc.buffer.length).toBeLessThan(50 * 5);
    expect(acc.count).toBe(200_000);
  });
});

describe('percentiles: behaviour', () => {
  it('is null when empty or when every value was skipped, and skips non-finite values', () => {
    const agg = percentiles((r: { ms?: number }) => r.ms as number);
    expect(agg.result(agg.init())).toBeNull();
    expect(agg.result(fold(agg, [{ ms: Number.NaN }, {}, { ms: Number.POSITIVE_INFINITY }]))).toBeNull();
    const acc = fold(agg, [{ ms: Number.NaN }, { ms: 7 }, {}]);
    expect(acc.count).toBe(1);
    expect(agg.result(acc)).toEqual({ p50: 7, p95: 7, p99: 7 });
  });

  it('reading the result does not change the accumulator', () => {
    const agg = percentiles(identity);
    const acc = fold(agg, sample('uniform', 1234, 5));
    expect(acc.buffer.length).toBeGreaterThan(0);
    const before = structuredClone(acc);
    const first = agg.result(acc);
    expect(acc).toEqual(before);
    expect(agg.result(acc)).toEqual(first);
  });

  it('merging two digests gives the quantiles of the union', () => {
    for (const name of ['normal', 'log-normal (heavy tail)']) {
      const left = sample(name, 60_000, 21);
      const right = sample(name, 40_000, 22).map((x) => x * 1.5 + 3); // a different distribution
      const agg = percentiles(identity, QUANTILES);
      const merged = agg.merge(fold(agg, left), fold(agg, right));
      const union = sortedCopy([...left, ...right]);
      expect(merged.count).toBe(100_000);
      expect(worstRankError(agg.result(merged)!, union)).toBeLessThan(0.01);
      // And as good as a digest built from the union directly, to within half a percent of rank.
      const direct = worstRankError(agg.result(fold(agg, union))!, union);
      expect(worstRankError(agg.result(merged)!, union)).toBeLessThan(direct + 0.005);
    }
  });

  it('merges with empty digests on either side and leaves the second argument unchanged', () => {
    const agg = percentiles(identity, [0, 0.5, 1]);
    const full = fold(agg, [1, 2, 3, 4, 5]);
    const snapshot = structuredClone(full);
    expect(agg.result(agg.merge(agg.init(), full))).toEqual({ p0: 1, p50: 3, p100: 5 });
    expect(full).toEqual(snapshot);
    expect(agg.result(agg.merge(full, agg.init()))).toEqual({ p0: 1, p50: 3, p100: 5 });
    expect(agg.result(agg.merge(agg.init(), agg.init()))).toBeNull();
  });
});

describe('percentiles: keys and options', () => {
  it('names quantiles the way the result type does', () => {
    const cases: Array<[number, string]> = [
      [0, 'p0'],
      [0.001, 'p0_1'],
      [0.05, 'p5'],
      [0.1, 'p10'],
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
      [0.999, 'p99_9'],
      [0.9999, 'p99_99'],
      [0.125, 'p12_5'],
      [1, 'p100'],
    ];
    for (const [q, key] of cases) expect(quantileKey(q)).toBe(key);
  });

  it('rejects quantiles outside [0, 1], unnameable ones, duplicates and bad compressions', () => {
    expect(() => percentiles(identity, [1.5])).toThrow(/outside \[0, 1\]/);
    expect(() => percentiles(identity, [Number.NaN])).toThrow(TributaryError);
    expect(() => percentiles(identity, [1e-7])).toThrow(/1e-7 cannot be named/);
    expect(() => percentiles(identity, [0.5, 0.5])).toThrow(/p50 twice/);
    expect(() => percentiles(identity, [])).toThrow(/empty/);
    expect(() => percentiles(identity, [0.5], { compression: 5 })).toThrow(/compression/);
  });
});
