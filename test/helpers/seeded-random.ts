/**
 * The tests' seeded PRNG: numbers in [0, 1), the same sequence for a seed on every run and machine,
 * so a randomized test that fails replays exactly. It is the traffic generator's mulberry32
 * (examples/network-monitor/traffic/random.ts), so one implementation serves both.
 */
import { SeededRandom } from '../../examples/network-monitor/traffic/random.js';

/** A function returning the next number of the sequence for `seed` (any integer). */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}
