import { describe, expect, it } from 'vitest';
import {
  type DiskKey,
  diskKeyBuffer,
  MAX_DISK_KEY_BYTES,
  nextDoubleUp,
  readDiskKey,
} from '../../../src/state/disk-key.js';
import { compareEncodedKeys, type EncodedKey } from '../../../src/state/key-codec.js';
import { seededRandom as random } from '../../helpers/seeded-random.js';

const ALPHABET = ['\u0000', '\u0001', '\u0002', 'a', 'b', 'Z', '\u00e9', '\uD83D\uDE00', '\uFFFF', '\uE000'];
const NUMBERS = [0, -1, 1, -0.5, 0.5, 1e300, -1e300, Number.MIN_VALUE, -Number.MIN_VALUE, 1700000000000];

function randomPart(next: () => number): EncodedKey {
  if (next() < 0.4) return NUMBERS[Math.floor(next() * NUMBERS.length)]!;
  let text = '';
  const length = Math.floor(next() * 4);
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function compareTuples(a: DiskKey, b: DiskKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareEncodedKeys(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

describe('disk keys', () => {
  it('round-trip numbers and strings, including NUL, surrogates and -0', () => {
    const key: DiskKey = [-0, 'a\u0000b\u0001c', '', '\u{1F600}', -1e-300, Number.MAX_VALUE, 'x'];
    const bytes = diskKeyBuffer(key);
    expect(readDiskKey(bytes, 0, bytes.length)).toEqual([
      0,
      'a\u0000b\u0001c',
      '',
      '\u{1F600}',
      -1e-300,
      Number.MAX_VALUE,
      'x',
    ]);
  });

  it('compare byte-wise exactly like the tuples compare with compareEncodedKeys', () => {
    const next = random(7);
    for (let round = 0; round < 3000; round++) {
      const a = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomPart(next));
      const b = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomPart(next));
      const expected = Math.sign(compareTuples(a, b));
      const actual = Math.sign(Buffer.compare(diskKeyBuffer(a), diskKeyBuffer(b)));
      if (actual !== expected) {
        throw new Error(
          `order differs for ${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${actual} != ${expected}`,
        );
      }
    }
  });

  it('rejects a key over the LMDB size limit with a message that says what to do', () => {
    expect(() => diskKeyBuffer(['x'.repeat(MAX_DISK_KEY_BYTES)])).toThrow(
      /too long for a persistent store.*shorten/,
    );
    expect(() => diskKeyBuffer(['x'.repeat(900)])).not.toThrow();
  });

  it('finds the next double above a number', () => {
    for (const value of [0, 1, -1, 1700000000000, -0.5, 1e-310]) {
      const up = nextDoubleUp(value);
      expect(up).toBeGreaterThan(value);
      expect((value + up) / 2 === value || (value + up) / 2 === up).toBe(true);
    }
  });
});
