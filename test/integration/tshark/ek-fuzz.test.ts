/**
 * Fuzzing the EK path: thousands of mutated and truncated EK lines (from real tshark output) go
 * through the parser and through the whole source (behind a stand-in tshark that prints them). The
 * parser either returns a Packet, skips an index line, or throws a MalformedPacketError; never any
 * other error. The source never crashes, delivers exactly the lines that parse, and counts every bad one.
 */

import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEkLine } from '../../../src/connectors/tshark/ek-parser.js';
import { MalformedPacketError, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { writePcap } from '../../helpers/pcap.js';
import { mixedCapture } from '../../helpers/pcap-scenarios.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { drain, EK_JUNK, mutateLine, tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-ek-fuzz-');
afterAll(cleanup);

const VALUES = [
  'null',
  '0',
  '-1',
  '1e400',
  '"not-a-number"',
  '[]',
  '{}',
  '[1,2]',
  'true',
  '"1700000000.5"',
  '""',
];

function mutate(line: string, random: () => number): string {
  return mutateLine(line, random, 7, EK_JUNK, (kind) => {
    const at = Math.floor(random() * (line.length + 1));
    switch (kind) {
      case 4: {
        // a field's value replaced by a value of another type
        const values = [...line.matchAll(/":("[^"]*"|true|false|-?\d[\d.eE+-]*)/g)];
        const target = values[Math.floor(random() * values.length)];
        if (!target || target.index === undefined) return line.slice(0, at);
        const start = target.index + 2;
        return (
          line.slice(0, start) +
          VALUES[Math.floor(random() * VALUES.length)] +
          line.slice(start + target[1]!.length)
        );
      }
      case 5: // two documents glued together
        return line + line.slice(0, at);
      default: // whitespace and an empty object, which parse as JSON but are no packet
        return random() < 0.5 ? '   ' : '{}';
    }
  });
}

describe('EK fuzzing', () => {
  it('parses or rejects every mutated line with a MalformedPacketError, and the source counts them all', async () => {
    const pcap = `${dir}/mixed.pcap`;
    writePcap(pcap, mixedCapture());
    const documents = execFileSync('tshark', ['-r', pcap, '-T', 'ek'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter((l) => l.startsWith('{"timestamp"'));
    expect(documents.length).toBeGreaterThan(10);

    const random = seededRandom(20261122);
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const base = documents[Math.floor(random() * documents.length)]!;
      // Every fourth line is left intact, so good packets are interleaved with bad ones.
      lines.push(i % 4 === 0 ? base : mutate(base, random));
    }

    let packets = 0;
    let malformed = 0;
    const unexpected: string[] = [];
    lines.forEach((line, i) => {
      try {
        if (parseEkLine(line, i + 1) !== null) packets++;
      } catch (error) {
        if (error instanceof MalformedPacketError) malformed++;
        else unexpected.push(`line ${i + 1}: ${(error as Error).name}: ${(error as Error).message}`);
      }
    });
    expect(unexpected).toEqual([]);
    expect(packets).toBeGreaterThanOrEqual(1000);
    expect(malformed).toBeGreaterThan(1000);

    const ekFile = `${dir}/fuzzed.ek`;
    writeFileSync(ekFile, `${lines.join('\n')}\n`);
    const fake = `${dir}/fake-tshark.sh`;
    writeFileSync(fake, `#!/bin/sh\ncat '${ekFile}'\n`);
    chmodSync(fake, 0o755);
    const source = tsharkSource({ file: pcap, tsharkPath: fake });
    const { records } = await drain(source);
    expect(records).toHaveLength(packets);
    expect(source.malformedLines).toBe(malformed);
  });
});
