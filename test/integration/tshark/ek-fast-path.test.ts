/**
 * The fast path (ek-flat-scanner.ts + lazy layers) against the JSON.parse path, on real tshark
 * output of generated captures and on thousands of fuzzed lines: every packet must come out equal,
 * layers included, and every line one path rejects the other rejects too. The JSON.parse path is
 * reached by prefixing a space, which JSON.parse ignores and the scanner declines.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { tsharkArgs } from '../../../src/connectors/tshark/capture-command.js';
import { F, flatValue } from '../../../src/connectors/tshark/ek-fields.js';
import { MODEL_FIELD_COUNT, scanFlatEkFields } from '../../../src/connectors/tshark/ek-flat-scanner.js';
import { parseEkLine } from '../../../src/connectors/tshark/ek-parser.js';
import { MalformedPacketError } from '../../../src/connectors/tshark/errors.js';
import { resolveTsharkOptions } from '../../../src/connectors/tshark/options.js';
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import { writePcap, writePcapFrom } from '../../helpers/pcap.js';
import { mixedCapture } from '../../helpers/pcap-scenarios.js';
import { syntheticTrafficStream } from '../../helpers/pcap-traffic.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { EK_JUNK, mutateLine, tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-ek-fast-path-');
afterAll(cleanup);

/** The document lines tshark writes for `pcap` with the source's own arguments (model fields + extras). */
function modelDocuments(pcap: string): string[] {
  const args = tsharkArgs(
    resolveTsharkOptions({ file: pcap, extraFields: ['ip.ttl', 'tcp.window_size'] }),
    pcap,
  );
  return execFileSync('tshark', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 30,
  })
    .split('\n')
    .filter((line) => line.startsWith('{"timestamp"'));
}

type Outcome = { packet: Packet | null } | { malformed: true };

function outcome(line: string): Outcome {
  try {
    return { packet: parseEkLine(line, 1) };
  } catch (error) {
    if (error instanceof MalformedPacketError) return { malformed: true };
    throw error;
  }
}

/** Both paths agree on `line`: same packet (layers and JSON text included), or both reject it. */
function expectSameAsJsonParse(line: string): void {
  const fast = outcome(line);
  const reference = outcome(` ${line}`);
  expect(fast, line).toEqual(reference);
  if ('packet' in fast && 'packet' in reference) {
    expect(JSON.stringify(fast.packet), line).toBe(JSON.stringify(reference.packet));
  }
}

/** The shared fragments plus escapes, whitespace and control characters, which the scanner must decline. */
const JUNK = [...EK_JUNK, '\\"', '\\u00e9', ' ', '\t', '""', '\u0001'];

function mutate(line: string, random: () => number): string {
  return mutateLine(line, random, 6, JUNK, (kind) => {
    if (kind === 4) {
      // a key repeated with another value, further on
      const keys = [...line.matchAll(/"([a-z0-9_]+)":\[/g)];
      const key = keys[Math.floor(random() * keys.length)]?.[1] ?? 'frame_len';
      const value = random() < 0.3 ? '[]' : `["${Math.floor(random() * 100)}"]`;
      return line.replace(/}}$/, `,"${key}":${value}}}`);
    }
    // two documents glued together
    return line + line.slice(0, Math.floor(random() * line.length));
  });
}

describe('EK fast path', () => {
  it('reads real field-selected EK exactly as JSON.parse does', () => {
    const mixed = `${dir}/mixed.pcap`;
    writePcap(mixed, mixedCapture());
    const traffic = `${dir}/traffic.pcap`;
    writePcapFrom(traffic, syntheticTrafficStream(5000));
    const documents = [...modelDocuments(mixed), ...modelDocuments(traffic)];
    expect(documents.length).toBeGreaterThan(5000);
    const values: (string | undefined)[] = new Array(MODEL_FIELD_COUNT);
    for (const line of documents) {
      values.fill(undefined);
      expect(scanFlatEkFields(line, values), line).toBe(true);
      const layers = (JSON.parse(line) as { layers: Record<string, unknown> }).layers;
      expect(values).toEqual(Object.values(F).map((field) => flatValue(layers, field)));
      expectSameAsJsonParse(line);
    }
  });

  it('agrees with the JSON.parse path on thousands of fuzzed lines', () => {
    const pcap = `${dir}/fuzz.pcap`;
    writePcap(pcap, mixedCapture());
    const documents = modelDocuments(pcap);
    const random = seededRandom(5);
    let scanned = 0;
    for (let i = 0; i < 5000; i++) {
      const line = mutate(documents[Math.floor(random() * documents.length)]!, random);
      if (scanFlatEkFields(line, new Array(MODEL_FIELD_COUNT).fill(undefined))) scanned++;
      expectSameAsJsonParse(line);
    }
    // The mutations leave plenty of lines the scanner still takes (repeated keys, changed values).
    expect(scanned).toBeGreaterThan(1000);
  });
});
