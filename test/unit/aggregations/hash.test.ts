import { describe, expect, it } from 'vitest';
import { hashNumber, hashString, hashValue } from '../../../src/aggregations/hash.js';

const TWO_POW_53 = 2 ** 53;

// Sequential and near-identical inputs are what distinct counts see (ports, addresses, ids).
const families: Record<string, (i: number) => string | number> = {
  integers: (i) => i,
  'integers × 2^32': (i) => i * 4294967296,
  decimals: (i) => i * 0.1,
  'ip strings': (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  'prefixed keys': (i) => `key-${i}`,
};

describe('hashValue', () => {
  it('gives an integer in [0, 2^53) for strings and numbers of every kind', () => {
    for (const value of ['', 'a', 'héllo 🌍', 'x'.repeat(1000), 0, -1, 0.1, 1e300, -1e-300, Number.NaN]) {
      const hash = hashValue(value);
      expect(Number.isInteger(hash), String(value)).toBe(true);
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThan(TWO_POW_53);
    }
  });

  it('treats values as a Set does: -0 like 0, all NaNs alike, "1" unlike 1', () => {
    expect(hashNumber(-0)).toBe(hashNumber(0));
    expect(hashNumber(Number.NaN)).toBe(hashNumber(0 / 0));
    expect(hashValue('1')).not.toBe(hashValue(1));
    expect(hashString('ab')).not.toBe(hashString('ba'));
    expect(hashString('a')).not.toBe(hashString('a\u0000'));
  });

  it('keeps the outputs that persisted sketches depend on (changing them breaks restored state)', () => {
    // Pinned when the format was introduced; a change here needs a state migration, not a new pin.
    expect(hashValue('')).toBe(7005425919364276);
    expect(hashValue('10.0.0.1')).toBe(556557847644165);
    expect(hashValue('héllo 🌍')).toBe(8969228565301430);
    expect(hashValue(1)).toBe(4323373392784392);
    expect(hashValue(-1.5)).toBe(2718284842126609);
    expect(hashValue(2 ** 40)).toBe(8599089411549745);
  });

  for (const [family, make] of Object.entries(families)) {
    it(`spreads ${family} evenly: no collisions, uniform top bits, every bit set half the time`, () => {
      const n = 100_000;
      const seen = new Set<number>();
      const buckets = new Array<number>(1024).fill(0);
      const ones = new Array<number>(53).fill(0);
      for (let i = 0; i < n; i++) {
        const hash = hashValue(make(i));
        seen.add(hash);
        buckets[Math.floor(hash / 2 ** 43)]! += 1;
        const high = Math.floor(hash / 4294967296);
        const low = hash >>> 0;
        for (let bit = 0; bit < 32; bit++) ones[bit]! += (low >>> bit) & 1;
        for (let bit = 0; bit < 21; bit++) ones[32 + bit]! += (high >>> bit) & 1;
      }
      expect(seen.size).toBe(n);
      // Chi-square over 1024 buckets has mean 1023 and sd 45; 1300 is six sd out.
      const expected = n / 1024;
      const chiSquare = buckets.reduce((acc, observed) => acc + (observed - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(1300);
      // A fair bit's share has sd 0.5/sqrt(n) = 0.0016; 0.008 is five sd.
      for (const count of ones) expect(Math.abs(count / n - 0.5)).toBeLessThan(0.008);
    });
  }
});
