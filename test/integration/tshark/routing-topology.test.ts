/**
 * The flagship's first topology on the embedded runtime: a pcap replayed by the real tshark through
 * tsharkSource into `network-packets`, routed by branchByLayer to the predefined per-protocol topics.
 * The per-topic counts must equal those implied by tshark's own statistics for the same file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPacketTopics, type Packet, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { type PcapPacket, writePcap } from '../../helpers/pcap.js';
import { mixedCapture } from '../../helpers/pcap-scenarios.js';
import { countsFromHierarchy, protocolHierarchy } from '../../helpers/tshark-phs.js';
import { tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-routing-');
afterAll(cleanup);

describe('routing topology: pcap -> tsharkSource -> network-packets -> branchByLayer -> per-protocol topics', () => {
  it('writes each packet to exactly one predefined topic, with counts equal to tshark statistics', async () => {
    const once = mixedCapture();
    const capture: PcapPacket[] = [];
    for (let r = 0; r < 5; r++) {
      for (const p of once)
        capture.push({ timestampMicros: p.timestampMicros + r * 1_000_000, frame: p.frame });
    }
    const file = `${dir}/mixed5.pcap`;
    writePcap(file, capture);

    const builder = new StreamsBuilder();
    builder.stream<string, Packet>(tsharkSource({ file }), { topic: 'network-packets' }).routeByLayer({
      tcp: defaultPacketTopics.tcp,
      udp: defaultPacketTopics.udp,
      icmp: defaultPacketTopics.icmp,
      arp: defaultPacketTopics.arp,
      dns: defaultPacketTopics.dns,
      http: defaultPacketTopics.http,
      tls: defaultPacketTopics.tls,
      default: defaultPacketTopics.other,
    });
    const app = new StreamsApp(builder.build(), { applicationId: 'routing', stateDir: dir });
    await app.start();
    await app.whenDone();

    const counts = new Map<string, number>();
    for (const topic of Object.values(defaultPacketTopics)) {
      const n = app.log.hasTopic(topic) ? app.log.endOffset(topic, 0) : 0;
      if (n > 0) counts.set(topic, n);
    }
    // Only the predefined topics (plus the input and the dead-letter topic) exist.
    expect(app.log.topicNames().sort()).toEqual(
      [...Object.values(defaultPacketTopics), 'network-packets', 'routing-dead-letters'].sort(),
    );
    await app.close();

    const expected = countsFromHierarchy(protocolHierarchy(file), { outputs: defaultPacketTopics });
    const sorted = (m: Map<string, number>) =>
      Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    expect(sorted(counts)).toEqual(sorted(expected));
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(capture.length);
  });
});
