import { TributaryError } from '../runtime/errors.js';
import type { Aggregator } from './aggregator.js';
import { hashValue } from './hash.js';
import { createHashSet, forEachHash, type HashSet, insertHash } from './hash-set.js';
import {
  addHash,
  createRegisters,
  estimateCardinality,
  MAX_HLL_PRECISION,
  MIN_HLL_PRECISION,
  mergeRegisters,
  precisionOf,
} from './hyperloglog.js';

/** Options of {@link distinctCount}. */
export interface DistinctCountOptions {
  /** Count exactly up to this many distinct values, then switch to a HyperLogLog sketch. Default 1000. */
  exactUpTo?: number;
  /** HyperLogLog precision p (4..18): 2^p one-byte registers, standard error 1.04/sqrt(2^p). Default 14. */
  precision?: number;
}

/** The exact phase: the 53-bit hashes of the distinct values seen so far. */
export interface ExactDistinctState extends HashSet {
  mode: 'exact';
}

/** The sketch phase: HyperLogLog registers (2^precision of them). */
export interface SketchDistinctState {
  mode: 'sketch';
  registers: Uint8Array;
}

/** The accumulator of {@link distinctCount}: plain data, exact first, a sketch past the threshold. */
export type DistinctCountState = ExactDistinctState | SketchDistinctState;

/**
 * Counts distinct values (for example distinct destination ports per source IP).
 *
 * Exact up to `exactUpTo` distinct values (the accumulator keeps their 53-bit hashes, so two distinct
 * values collide with probability below 1e-10 at 1000 values), then a HyperLogLog sketch of
 * `precision` with relative standard error 1.04/sqrt(2^precision) (0.81 % by default) in 2^precision
 * bytes. Strings and numbers are distinct from each other (`'1'` and `1` count twice); `-0` equals
 * `0`. `null` or `undefined` selections are skipped. Merging works across the two phases.
 *
 * @example
 * ```ts
 * distinctCount((p: Packet) => p.dstPort, { exactUpTo: 100, precision: 12 })
 * ```
 */
export function distinctCount<V>(
  select: (value: V) => string | number,
  options: DistinctCountOptions = {},
): Aggregator<V, DistinctCountState, number> {
  const exactUpTo = options.exactUpTo ?? 1000;
  const precision = options.precision ?? 14;
  if (!Number.isInteger(exactUpTo) || exactUpTo < 0) {
    throw new TributaryError(
      `distinctCount: exactUpTo must be a whole number >= 0, got ${exactUpTo}. Use 0 to always sketch.`,
    );
  }
  if (!Number.isInteger(precision) || precision < MIN_HLL_PRECISION || precision > MAX_HLL_PRECISION) {
    throw new TributaryError(
      `distinctCount: precision must be a whole number from ${MIN_HLL_PRECISION} to ${MAX_HLL_PRECISION}, ` +
        `got ${precision}. 14 (16 KiB, 0.81 % standard error) suits most uses.`,
    );
  }

  const toSketch = (set: HashSet): SketchDistinctState => {
    const registers = createRegisters(precision);
    forEachHash(set, (hash) => addHash(registers, hash));
    return { mode: 'sketch', registers };
  };

  return {
    init: () => (exactUpTo === 0 ? { mode: 'sketch', registers: createRegisters(precision) } : exact()),
    add: (acc, value) => {
      const selected = select(value);
      if (selected === null || selected === undefined) return acc;
      const hash = hashValue(selected);
      if (acc.mode === 'sketch') {
        addHash(ownRegisters(acc), hash);
        return acc;
      }
      return insertHash(acc, hash) && acc.size > exactUpTo ? toSketch(acc) : acc;
    },
    merge: (a, b) => {
      if (a.mode === 'exact' && b.mode === 'exact') {
        forEachHash(b, (hash) => insertHash(a, hash));
        return a.size > exactUpTo ? toSketch(a) : a;
      }
      if (a.mode === 'exact') {
        // b is a sketch and must not change: copy it, then add a's hashes.
        const registers = new Uint8Array((b as SketchDistinctState).registers);
        forEachHash(a, (hash) => addHash(registers, hash));
        return { mode: 'sketch', registers };
      }
      const registers = ownRegisters(a);
      if (b.mode === 'exact') forEachHash(b, (hash) => addHash(registers, hash));
      else {
        if (b.registers.length !== registers.length) {
          throw new TributaryError(
            `distinctCount: cannot merge sketches of precision ${precisionOf(registers)} and ` +
              `${precisionOf(b.registers)}; the precision changed between runs. Keep one precision per ` +
              'aggregation, or reset its state (new application id or cleared changelog).',
          );
        }
        mergeRegisters(registers, b.registers);
      }
      return a;
    },
    result: (acc) => (acc.mode === 'exact' ? acc.size : Math.round(estimateCardinality(acc.registers))),
  };
}

function exact(): ExactDistinctState {
  const set = createHashSet();
  return { mode: 'exact', size: set.size, slots: set.slots };
}

/**
 * The sketch's registers, copied once into a plain Uint8Array when they came back from a decoder as
 * a Buffer or an offset view: msgpackr's `unpack` returns byte arrays as views of its input, and
 * writing through them would corrupt that buffer. (Comparing against `registers.buffer` would also
 * catch offset-0 views, but reading `.buffer` tripled the cost of `add`.)
 */
function ownRegisters(acc: SketchDistinctState): Uint8Array {
  const registers = acc.registers;
  if (registers.constructor !== Uint8Array || registers.byteOffset !== 0) {
    acc.registers = new Uint8Array(registers);
  }
  return acc.registers;
}
