import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../examples/network-monitor/traffic/random.js';

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const x of draw(1)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers inside their inclusive bounds, reaching both ends', () => {
    const rng = new SeededRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('gives distinct integers from a range, and refuses more than the range holds', () => {
    const rng = new SeededRandom(9);
    const ports = rng.distinctInts(600, 1, 1000);
    expect(new Set(ports).size).toBe(600);
    expect(Math.min(...ports)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...ports)).toBeLessThanOrEqual(1000);
    expect(() => rng.distinctInts(11, 1, 10)).toThrow(/11 distinct values asked from a range of 10/);
  });

  it('draws Poisson counts with about the asked mean', () => {
    const rng = new SeededRandom(11);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.poisson(0.8);
    expect(sum / 20_000).toBeGreaterThan(0.75);
    expect(sum / 20_000).toBeLessThan(0.85);
  });

  it('forks independent streams: a fork does not repeat its parent or a sibling', () => {
    const root = new SeededRandom(3);
    const a = root.fork(1);
    const b = root.fork(2);
    const take = (r: SeededRandom) => Array.from({ length: 5 }, () => r.next());
    const fromA = take(a);
    expect(fromA).not.toEqual(take(b));
    expect(fromA).toEqual(take(new SeededRandom(3).fork(1)));
  });
});
