/**
 * The routing topology (buildPacketRouting) on the embedded runtime with the real tshark: every
 * packet goes to exactly one predefined per-protocol topic, and the counts equal tshark's own
 * protocol hierarchy statistics for the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPacketRouting } from '../../../examples/network-monitor/monitor/index.js';
import { writeCapture } from '../../../examples/network-monitor/traffic/index.js';
import { type Packet, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { countsFromHierarchy, protocolHierarchy } from '../../helpers/tshark-phs.js';

const dir = mkdtempSync(join(tmpdir(), 'netmon-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('packet routing on a tshark-decoded capture', () => {
  it.each([
    ['default topics', undefined],
    ['configured topics', { dns: 'lan.dns', tcp: 'lan.tcp', other: 'lan.rest' }],
  ] as const)(
    'routes with %s, counts equal to tshark statistics',
    async (_name, topics) => {
      const file = join(dir, `routing-${topics ? 'custom' : 'default'}.pcap`);
      const { packets } = writeCapture(
        {
          seed: 31,
          durationS: 60,
          startMs: Date.UTC(2026, 2, 3, 15, 0, 0),
          normalHosts: 40,
          packetsPerSecond: 60,
          anomalies: [{ kind: 'port-scan', atS: 20 }],
        },
        file,
      );
      const builder = new StreamsBuilder();
      const input = builder.stream<string, Packet>(tsharkSource({ file }), { topic: 'network-packets' });
      buildPacketRouting(input, { topics });
      const app = new StreamsApp(builder.build(), { applicationId: 'routing', stateDir: dir });
      await app.start();
      await app.whenDone();
      const outputs = {
        tcp: 'packets.tcp',
        udp: 'packets.udp',
        icmp: 'packets.icmp',
        arp: 'packets.arp',
        dns: 'packets.dns',
        http: 'packets.http',
        tls: 'packets.tls',
        other: 'packets.other',
        ...topics,
      };
      const counts = new Map<string, number>();
      for (const topic of new Set(Object.values(outputs))) {
        const n = app.log.hasTopic(topic) ? app.log.endOffset(topic, 0) : 0;
        if (n > 0) counts.set(topic, n);
      }
      // Only the declared topics exist, plus the input and the dead-letter topic.
      expect(app.log.topicNames().sort()).toEqual(
        [...new Set(Object.values(outputs)), 'network-packets', 'routing-dead-letters'].sort(),
      );
      await app.close();
      const expected = countsFromHierarchy(protocolHierarchy(file), { outputs });
      const sorted = (m: Map<string, number>) =>
        Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
      expect(sorted(counts)).toEqual(sorted(expected));
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(packets);
    },
    120_000,
  );
});
