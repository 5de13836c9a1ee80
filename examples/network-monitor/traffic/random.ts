/**
 * A small seeded PRNG (mulberry32) with the draws the traffic generator needs. Same seed, same
 * sequence, on every machine: captures are reproducible byte for byte. Never Math.random.
 */
export class SeededRandom {
  private state: number;

  /** `seed` is any integer; different seeds give unrelated sequences. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: nothing to pick from (empty array)');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A value whose logarithm is uniform between log(min) and log(max): spreads latencies over decades. */
  logUniform(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)));
  }

  /** A Poisson-distributed count with mean `mean` (Knuth's method; means here stay small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** An independent generator derived from this seed and `stream` (one per concern, so adding one changes no other). */
  fork(stream: number): SeededRandom {
    return new SeededRandom(
      Math.imul(this.state ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35),
    );
  }

  /** `count` distinct integers from [min, max], in random order (partial Fisher–Yates). */
  distinctInts(count: number, min: number, max: number): number[] {
    const size = max - min + 1;
    if (count > size)
      throw new Error(`SeededRandom.distinctInts: ${count} distinct values asked from a range of ${size}`);
    const swapped = new Map<number, number>();
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.next() * (size - i));
      const atJ = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      out.push(min + atJ);
    }
    return out;
  }
}
