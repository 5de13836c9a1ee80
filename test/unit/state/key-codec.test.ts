import { describe, expect, it } from 'vitest';
import { compareEncodedKeys, defaultKeyCodec, stableStringify } from '../../../src/state/index.js';

const codec = defaultKeyCodec<unknown>();

describe('defaultKeyCodec', () => {
  it('keeps strings and numbers as they are', () => {
    expect(codec.encode('10.0.0.1')).toBe('10.0.0.1');
    expect(codec.encode('')).toBe('');
    expect(codec.encode(42)).toBe(42);
    expect(codec.encode(-1.5)).toBe(-1.5);
  });

  it('folds -0 into 0 so the two are one key', () => {
    expect(Object.is(codec.encode(-0), 0)).toBe(true);
  });

  it('encodes objects as stable JSON: property order does not matter', () => {
    expect(codec.encode({ b: 2, a: { d: 1, c: [3, 'x'] } })).toBe(
      codec.encode({ a: { c: [3, 'x'], d: 1 }, b: 2 }),
    );
    expect(stableStringify({ b: 2, a: { d: 1, c: [3, 'x'] } })).toBe('{"a":{"c":[3,"x"],"d":1},"b":2}');
  });

  it('decodes every kind of key back to an equal value', () => {
    const keys: unknown[] = [
      'plain',
      '',
      '{"a":1}',
      '\u0000starts with NUL',
      '\u0000\u0000two NULs',
      7,
      -0.25,
      true,
      false,
      null,
      [1, 'two', [3]],
      { src: '10.0.0.1', dst: '10.0.0.2', port: 443 },
    ];
    for (const key of keys) expect(codec.decode(codec.encode(key))).toEqual(key);
  });

  it('keeps a string that looks like JSON apart from the object it spells', () => {
    expect(codec.encode('{"a":1}')).not.toBe(codec.encode({ a: 1 }));
    expect(codec.decode(codec.encode('{"a":1}'))).toBe('{"a":1}');
    expect(codec.encode('\u0000{"a":1}')).not.toBe(codec.encode({ a: 1 }));
  });

  it('rejects keys it cannot encode faithfully, naming the part at fault', () => {
    expect(() => codec.encode(Number.NaN)).toThrow(/NaN/);
    expect(() => codec.encode({ a: { b: Number.POSITIVE_INFINITY } })).toThrow(/key\.a\.b/);
    expect(() => codec.encode(undefined)).toThrow(/undefined/);
    expect(() => codec.encode([1, 2n])).toThrow(/bigint at key\[1\]/);
  });
});

describe('compareEncodedKeys', () => {
  it('puts numbers first (numerically), then strings by UTF-16 code unit', () => {
    const sorted = ['b', 10, '', 'B', '\uFFFF', -3, 'a', 2.5, '\u{1F600}', 'ab'].sort(compareEncodedKeys);
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFF by code unit.
    expect(sorted).toEqual([-3, 2.5, 10, '', 'B', 'a', 'ab', 'b', '\u{1F600}', '\uFFFF']);
  });

  it('is zero only for equal keys', () => {
    expect(compareEncodedKeys('x', 'x')).toBe(0);
    expect(compareEncodedKeys(1, 1)).toBe(0);
    expect(compareEncodedKeys(1, '1')).toBeLessThan(0);
    expect(compareEncodedKeys('1', 1)).toBeGreaterThan(0);
  });
});
