/**
 * The fast path for field-selected EK lines: the scanner picks out exactly what JSON.parse would
 * give for each model field, declines every line it cannot read exactly, and the lazily parsed
 * `layers` behaves like the parsed object. (Real tshark output and fuzzed lines are compared with
 * the JSON.parse path in test/integration/tshark/ek-fast-path.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { F, flatValue } from '../../../src/connectors/tshark/ek-fields.js';
import { MODEL_FIELD_COUNT, scanFlatEkFields } from '../../../src/connectors/tshark/ek-flat-scanner.js';
import { parseEkLine } from '../../../src/connectors/tshark/ek-parser.js';
import { lazyLayers } from '../../../src/connectors/tshark/lazy-layers.js';

const LINE =
  '{"timestamp":"1700000000250","layers":{"frame_time_epoch":["1700000000.250000000"],"frame_number":["9"],' +
  '"frame_len":["99"],"frame_protocols":["eth:ethertype:ip:udp:dns"],"ip_src":["10.0.0.1","192.168.0.1"],' +
  '"ip_dst":["10.0.0.2"],"udp_srcport":["5353"],"udp_dstport":["53"],"dns_qry_name":["ä.example"],' +
  '"dns_flags_response":["0"],"tcp_window_size":["512"],"dns_time":[]}}';

function scan(line: string): (string | undefined)[] | undefined {
  const values: (string | undefined)[] = new Array(MODEL_FIELD_COUNT).fill(undefined);
  return scanFlatEkFields(line, values) ? values : undefined;
}

/** What the JSON.parse path reads for every model field. */
function viaJsonParse(line: string): unknown[] {
  const layers = (JSON.parse(line) as { layers: Record<string, unknown> }).layers;
  return Object.values(F).map((field) => flatValue(layers, field));
}

describe('scanFlatEkFields', () => {
  it('reads the first value of every model field, as JSON.parse does', () => {
    const values = scan(LINE);
    expect(values).toEqual(viaJsonParse(LINE));
    expect(values![F.ipSrc.slot]).toBe('10.0.0.1');
    expect(values![F.dnsQueryName.slot]).toBe('ä.example');
    expect(values![F.dnsTime.slot]).toBeUndefined();
    expect(values![F.tcpSrcPort.slot]).toBeUndefined();
  });

  it('lets the last of a repeated key win, as JSON.parse does', () => {
    const line = LINE.replace(
      '"ip_dst":["10.0.0.2"]',
      '"ip_dst":["10.0.0.2"],"ip_dst":["10.9.9.9"],"ip_src":[]',
    );
    expect(scan(line)![F.ipDst.slot]).toBe('10.9.9.9');
    expect(scan(line)![F.ipSrc.slot]).toBeUndefined();
    expect(scan(line)).toEqual(viaJsonParse(line));
  });

  it('declines what only JSON.parse reads exactly, and what is not a flat document', () => {
    const declined = [
      LINE.replace('ä.example', 'a\\"b.example'), // escape sequence
      LINE.replace('ä.example', 'a\\u0041.example'),
      LINE.replace('ä.example', 'a\tb'), // raw control character (JSON.parse rejects it)
      LINE.replace('"ip_dst"', '"__proto__"'),
      LINE.replace('"frame_len":', '"frame_len" :'), // whitespace
      ` ${LINE}`,
      LINE.replace('["99"]', '[99]'), // not a string
      LINE.replace('["99"]', '"99"'),
      LINE.replace('"1700000000250"', '"17x"'),
      LINE.slice(0, -1), // truncated
      LINE.slice(0, 120),
      `${LINE}}`,
      `${LINE} `,
      '{"timestamp":"1","layers":{"frame":{"frame_frame_number":"1"}}}', // full EK
      '{"index":{"_index":"packets-2023-11-14","_type":"doc"}}',
      '',
    ];
    for (const line of declined) expect(scan(line), line).toBeUndefined();
  });

  it('reads an empty layers object', () => {
    expect(scan('{"timestamp":"1","layers":{}}')).toEqual(new Array(MODEL_FIELD_COUNT).fill(undefined));
  });
});

describe('lazy layers', () => {
  it('behaves as the parsed layers object: keys, order, values, in, spread, JSON', () => {
    const parsed = (JSON.parse(LINE) as { layers: Record<string, unknown> }).layers;
    const layers = lazyLayers(LINE);
    expect(Object.keys(layers)).toEqual(Object.keys(parsed));
    expect(JSON.stringify(layers)).toBe(JSON.stringify(parsed));
    expect(layers.tcp_window_size).toEqual(['512']);
    expect('ip_src' in layers).toBe(true);
    expect('ip_ttl' in layers).toBe(false);
    expect({ ...layers }).toEqual(parsed);
    expect(layers).toEqual(parsed);
  });

  it('parses on first use: a packet from the fast path carries its layers', () => {
    const fast = parseEkLine(LINE, 1)!;
    const reference = parseEkLine(` ${LINE}`, 1)!; // leading space: the JSON.parse path
    expect(fast).toEqual(reference);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
    expect(fast.layers.ip_src).toEqual(['10.0.0.1', '192.168.0.1']);
  });
});
