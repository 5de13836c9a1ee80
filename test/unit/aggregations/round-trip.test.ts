import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { Packr, pack, unpack } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Aggregator,
  aggregator,
  avg,
  combine,
  count,
  distinctCount,
  max,
  min,
  percentiles,
  sum,
} from '../../../src/aggregations/index.js';
import { fold, seededRandom } from './random.js';

// A real LMDB table with the value encoding the persistent stores use (MessagePack, moreTypes).
const lmdbDir = mkdtempSync(join(tmpdir(), 'tributary-agg-'));
const lmdb = open<unknown, string>({ path: lmdbDir, encoder: { moreTypes: true } });
afterAll(async () => {
  await lmdb.close();
  rmSync(lmdbDir, { recursive: true, force: true });
});
let lmdbKey = 0;
const moreTypes = new Packr({ moreTypes: true });

// Stores and changelogs persist accumulators; a restored one must keep working with the same functions.
const codecs: Record<string, <T>(value: T) => T> = {
  structuredClone: (value) => structuredClone(value),
  'msgpackr pack/unpack': (value) => unpack(pack(value)),
  'msgpackr moreTypes': (value) => moreTypes.unpack(moreTypes.pack(value)),
  'LMDB put/get': <T>(value: T) => {
    const key = `acc-${lmdbKey++}`;
    lmdb.putSync(key, value);
    return lmdb.get(key) as T;
  },
};

const random = seededRandom(99);
const first = Array.from({ length: 3000 }, () => Math.round(random() * 5000) / 10);
const second = Array.from({ length: 4000 }, () => Math.round(random() * 9000) / 10);
const identity = (x: number) => x;

const helpers: Record<string, Aggregator<number, unknown, unknown>> = {
  count: count<number>(),
  sum: sum(identity),
  min: min(identity),
  max: max(identity),
  avg: avg(identity),
  'distinctCount (stays exact)': distinctCount(identity, { exactUpTo: 100_000 }),
  'distinctCount (exact, then a sketch)': distinctCount(identity, { exactUpTo: 2500, precision: 10 }),
  'distinctCount (sketch from the start)': distinctCount(identity, { exactUpTo: 0, precision: 12 }),
  'percentiles (centroids and a part-full buffer)': percentiles(identity, [0.01, 0.5, 0.99, 0.999]),
  combine: combine({
    n: count<number>(),
    p: percentiles(identity),
    d: distinctCount(identity, { exactUpTo: 10 }),
  }),
  aggregator: aggregator(
    () => ({ total: 0, seen: [] as number[] }),
    (acc, x: number) => {
      acc.total += x;
      if (acc.seen.length < 10) acc.seen.push(x);
      return acc;
    },
    (a, b) => ({ total: a.total + b.total, seen: [...a.seen, ...b.seen].slice(0, 10) }),
  ),
};

describe('accumulators survive serialization and keep working', () => {
  for (const [codecName, roundTrip] of Object.entries(codecs)) {
    for (const [name, agg] of Object.entries(helpers)) {
      it(`${name} through ${codecName}: same result, then same result after more adds and a merge`, () => {
        const original = fold(agg, first);
        const restored = roundTrip(original);
        expect(agg.result(restored)).toEqual(agg.result(original));

        let continued = restored;
        for (const x of second) continued = agg.add(continued, x);
        expect(agg.result(continued)).toEqual(agg.result(fold(agg, [...first, ...second])));

        const merged = agg.merge(roundTrip(fold(agg, first)), roundTrip(fold(agg, second)));
        expect(agg.result(merged)).toEqual(agg.result(agg.merge(fold(agg, first), fold(agg, second))));
      });
    }
  }

  it('a sketch restored by msgpackr does not write into the buffer it was unpacked from', () => {
    const agg = distinctCount(identity, { exactUpTo: 0, precision: 8 });
    const packed = pack(fold(agg, first));
    const bytesBefore = Buffer.from(packed);
    const restored = unpack(packed);
    agg.add(restored, 123_456.5);
    agg.merge(restored, fold(agg, second));
    expect(Buffer.compare(packed, bytesBefore)).toBe(0);
  });
});
