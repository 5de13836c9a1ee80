import { describe, expect, it } from 'vitest';
import { csvField, defaultRowMapper } from '../../../src/connectors/adx/index.js';
import { csvRowEncoder, jsonRowEncoder } from '../../../src/connectors/adx/row-format.js';

describe('row encoders', () => {
  it('encodes a row as one JSON line, dates as ISO strings and bigints as decimal strings', () => {
    const encode = jsonRowEncoder();
    expect(encode({ at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)), text: 'a\nb', n: 1.5 })).toBe(
      '{"at":"2025-01-02T03:04:05.006Z","text":"a\\nb","n":1.5}',
    );
    expect(encode({ big: 9007199254740993n, nested: { also: 2n } })).toBe(
      '{"big":"9007199254740993","nested":{"also":"2"}}',
    );
  });

  it('refuses values that are not plain objects, saying what it got', () => {
    const encode = jsonRowEncoder();
    expect(() => encode([1, 2] as never)).toThrow('An ADX row must be a plain object, got an array');
    expect(() => encode(null as never)).toThrow('got null');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => encode(circular)).toThrow(/circular/i);
  });

  it('encodes CSV in column order with RFC 4180 quoting', () => {
    const encode = csvRowEncoder(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(
      encode({
        f: true,
        e: { k: 'v,"w"' },
        d: null,
        c: 'say "hi", twice',
        b: 42,
        a: new Date(Date.UTC(2025, 5, 6)),
      }),
    ).toBe('2025-06-06T00:00:00.000Z,42,"say ""hi"", twice",,"{""k"":""v,\\""w\\""""}",true');
    expect(encode({})).toBe(',,,,,');
  });

  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    [' lead', '" lead"'],
    ['trail ', '"trail "'],
    [12n, '12'],
    [-0.25, '-0.25'],
    [undefined, ''],
    [[1, 'x'], '"[1,""x""]"'],
  ])('csvField(%s) is %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('rejects a CSV encoder without columns', () => {
    expect(() => csvRowEncoder([])).toThrow('CSV rows need at least one column in csvColumns');
  });
});

describe('defaultRowMapper', () => {
  it('uses an object value as the row', () => {
    const value = { srcIp: '10.0.0.1', packets: 3 };
    expect(defaultRowMapper({ key: 'k', value, timestamp: 0 })).toBe(value);
  });

  it('wraps other values with their key and ISO timestamp', () => {
    expect(defaultRowMapper({ key: 'k', value: 7, timestamp: Date.UTC(2025, 0, 1) })).toEqual({
      key: 'k',
      value: 7,
      timestamp: '2025-01-01T00:00:00.000Z',
    });
    expect(defaultRowMapper({ key: null, value: ['a'], timestamp: 0 })).toEqual({
      key: null,
      value: ['a'],
      timestamp: '1970-01-01T00:00:00.000Z',
    });
  });
});
