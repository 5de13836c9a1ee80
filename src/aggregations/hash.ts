/**
 * A 53-bit hash of strings and numbers, for distinct counting.
 *
 * 53 bits because the result is one JS number (exact up to 2^53): it needs no allocation, and the
 * exact phase of `distinctCount` can keep hashes in a plain number array that every store encoding
 * round-trips. Two 32-bit multiply-rotate lanes absorb the input; a cross-mixed murmur3-style
 * finaliser spreads every input bit over both lanes.
 *
 * The function is part of the persisted format: sketches and exact sets in stores and changelogs hold
 * its outputs, so changing it silently corrupts restored state.
 */

const TWO_POW_32 = 4294967296;
const STRING_SEED_A = 0x243f6a88;
const STRING_SEED_B = 0x13198a2e;
const NUMBER_SEED_A = 0x03707344;
const NUMBER_SEED_B = 0x29b7c4d1;
const LANE_A_MULTIPLIER = 0x9e3779b1;
const LANE_B_MULTIPLIER = 0x85ebca77;

// Reads the IEEE-754 bits of a number without allocating; little-endian so the hash is portable.
const numberBits = new DataView(new ArrayBuffer(8));

/** Hashes a string or a number to an integer in [0, 2^53). Equal values (SameValueZero) hash equally. */
export function hashValue(value: string | number): number {
  return typeof value === 'string' ? hashString(value) : hashNumber(value);
}

/** Hashes a string's UTF-16 code units to an integer in [0, 2^53). */
export function hashString(text: string): number {
  const length = text.length;
  let a = STRING_SEED_A ^ length;
  let b = STRING_SEED_B ^ Math.imul(length, LANE_A_MULTIPLIER);
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const word = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    a = absorbA(a, word);
    b = absorbB(b, word);
  }
  if (i < length) {
    const word = text.charCodeAt(i);
    a = absorbA(a, word);
    b = absorbB(b, word);
  }
  return finish(a, b);
}

/** Hashes a number's value to an integer in [0, 2^53); -0 hashes like 0 and every NaN alike. */
export function hashNumber(value: number): number {
  numberBits.setFloat64(0, value === 0 ? 0 : Number.isNaN(value) ? Number.NaN : value, true);
  const low = numberBits.getUint32(0, true);
  const high = numberBits.getUint32(4, true);
  const a = absorbA(absorbA(NUMBER_SEED_A, low), high);
  const b = absorbB(absorbB(NUMBER_SEED_B, low), high);
  return finish(a, b);
}

function absorbA(lane: number, word: number): number {
  const x = Math.imul(lane ^ word, LANE_A_MULTIPLIER);
  return (x << 15) | (x >>> 17);
}

function absorbB(lane: number, word: number): number {
  const x = Math.imul(lane ^ word, LANE_B_MULTIPLIER);
  return (x << 13) | (x >>> 19);
}

function mix32(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

function finish(a: number, b: number): number {
  const high = mix32(a ^ Math.imul(b, 0x27d4eb2f));
  const low = mix32(b ^ high);
  return (high >>> 11) * TWO_POW_32 + (low >>> 0);
}
