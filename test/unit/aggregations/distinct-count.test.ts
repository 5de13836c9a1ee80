import { describe, expect, it } from 'vitest';
import { type DistinctCountState, distinctCount } from '../../../src/aggregations/index.js';
import { TributaryError } from '../../../src/runtime/errors.js';
import { fold } from './random.js';

const identity = (value: string | number) => value;

function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

function* made(from: number, to: number, make: (i: number) => string | number): Generator<string | number> {
  for (let i = from; i < to; i++) yield make(i);
}

function sketchOf(state: DistinctCountState): Uint8Array {
  if (state.mode !== 'sketch') throw new Error(`expected a sketch, got ${state.mode}`);
  return state.registers;
}

describe('distinctCount: exact phase', () => {
  it('counts exactly up to the threshold, whatever the duplicates', () => {
    const agg = distinctCount(identity, { exactUpTo: 1000 });
    const values = [...range(0, 1000), ...range(0, 1000), ...range(500, 1000)];
    const acc = fold(agg, values);
    expect(acc.mode).toBe('exact');
    expect(agg.result(acc)).toBe(1000);
  });

  it('counts strings and numbers apart, -0 as 0, and skips null and undefined', () => {
    const agg = distinctCount((v: { id: string | number | undefined | null }) => v.id as string | number);
    const acc = fold(agg, [{ id: 1 }, { id: '1' }, { id: 0 }, { id: -0 }, { id: undefined }, { id: null }]);
    expect(agg.result(acc)).toBe(3);
  });

  it('switches to a sketch at threshold + 1 distinct values', () => {
    const agg = distinctCount(identity, { exactUpTo: 50 });
    let acc = fold(agg, range(0, 50));
    expect(acc.mode).toBe('exact');
    acc = agg.add(acc, 50);
    expect(acc.mode).toBe('sketch');
    expect(agg.result(acc)).toBe(51);
  });

  it('with exactUpTo 0 starts as a sketch of 2^precision registers', () => {
    const acc = distinctCount(identity, { exactUpTo: 0, precision: 10 }).init();
    expect(sketchOf(acc).length).toBe(1024);
  });
});

describe('distinctCount: HyperLogLog accuracy', () => {
  const families: Record<string, (i: number) => string | number> = {
    integers: (i) => i,
    'ip strings': (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    decimals: (i) => i * 0.001,
    'prefixed keys': (i) => `session-${i}`,
  };
  for (const precision of [14, 11]) {
    const bound = 3 * (1.04 / Math.sqrt(2 ** precision));
    for (const [family, make] of Object.entries(families)) {
      it(`p=${precision}: 100k distinct ${family} within 3 standard errors (${(bound * 100).toFixed(2)} %)`, () => {
        const agg = distinctCount(identity, { precision });
        // Every value twice: duplicates must not count.
        const acc = fold(agg, [...made(0, 100_000, make), ...made(0, 100_000, make)]);
        expect(acc.mode).toBe('sketch');
        expect(Math.abs(agg.result(acc) / 100_000 - 1)).toBeLessThan(bound);
      });
    }
  }

  it('stays within 3 standard errors from small to large cardinalities', () => {
    const agg = distinctCount(identity, { exactUpTo: 0, precision: 12 });
    const bound = 3 * (1.04 / Math.sqrt(4096));
    let acc = agg.init();
    let next = 10;
    for (let i = 0; i < 1_000_000; i++) {
      acc = agg.add(acc, `v${i}`);
      if (i + 1 === next) {
        const estimate = agg.result(acc);
        // Tiny counts: the sketch may be off by one value, not by a share of it.
        expect(Math.abs(estimate - next), `at ${next}`).toBeLessThanOrEqual(Math.max(1, bound * next));
        next = next < 1000 ? next * 10 : next * 2;
      }
    }
  });
});

describe('distinctCount: merge', () => {
  const agg = distinctCount(identity, { exactUpTo: 1000, precision: 12 });
  const sketchOfValues = (values: Iterable<number>) => {
    const always = distinctCount(identity, { exactUpTo: 0, precision: 12 });
    return sketchOf(fold(always, values));
  };

  it('exact + exact is the exact union while under the threshold', () => {
    const merged = agg.merge(fold(agg, range(0, 600)), fold(agg, range(300, 900)));
    expect(merged.mode).toBe('exact');
    expect(agg.result(merged)).toBe(900);
  });

  it('exact + exact past the threshold becomes the sketch of the union', () => {
    const merged = agg.merge(fold(agg, range(0, 800)), fold(agg, range(400, 1400)));
    expect(sketchOf(merged)).toEqual(sketchOfValues(range(0, 1400)));
  });

  it('exact + sketch, sketch + exact and sketch + sketch all equal the sketch of the union', () => {
    const union = sketchOfValues(range(0, 6000));
    const small = () => fold(agg, range(5500, 6000));
    const big = () => fold(agg, range(0, 5600));
    expect(sketchOf(agg.merge(small(), big()))).toEqual(union);
    expect(sketchOf(agg.merge(big(), small()))).toEqual(union);
    expect(sketchOf(agg.merge(fold(agg, range(0, 3500)), fold(agg, range(3000, 6000))))).toEqual(union);
  });

  it('leaves its second argument unchanged', () => {
    const b = fold(agg, range(0, 5000));
    const before = structuredClone(b);
    agg.merge(fold(agg, range(4000, 4500)), b);
    agg.merge(fold(agg, range(9000, 20000)), b);
    expect(b).toEqual(before);
  });

  it('refuses to merge sketches of different precisions, saying why', () => {
    const other = distinctCount(identity, { exactUpTo: 0, precision: 10 });
    const a = fold(agg, range(0, 5000));
    expect(() => agg.merge(a, fold(other, range(0, 10)))).toThrow(/precision 12 and 10/);
  });
});

describe('distinctCount: options', () => {
  it('rejects precisions outside 4..18 and negative or fractional thresholds', () => {
    expect(() => distinctCount(identity, { precision: 3 })).toThrow(TributaryError);
    expect(() => distinctCount(identity, { precision: 19 })).toThrow(/from 4 to 18, got 19/);
    expect(() => distinctCount(identity, { precision: 12.5 })).toThrow(TributaryError);
    expect(() => distinctCount(identity, { exactUpTo: -1 })).toThrow(/exactUpTo/);
    expect(() => distinctCount(identity, { exactUpTo: 1.5 })).toThrow(/exactUpTo/);
  });
});
