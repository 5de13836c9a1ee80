/**
 * End to end on the real broker: pcap -> tsharkSource -> `network-packets` topic on Kafka -> routing
 * topology (branchByLayer) -> the predefined per-protocol topics. Counts per topic are exact and equal
 * to what tshark's own statistics imply for the same file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPacketTopics, type Packet, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { type PcapPacket, writePcap } from '../../helpers/pcap.js';
import { mixedCapture } from '../../helpers/pcap-scenarios.js';
import { countsFromHierarchy, protocolHierarchy } from '../../helpers/tshark-phs.js';
import { recentBase } from '../kafka-runtime/kafka-test-io.js';
import { tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-routing-kafka-');
afterAll(cleanup);

describe('routing topology on Kafka', () => {
  it('routes every replayed packet to exactly one per-protocol topic, counts equal to tshark statistics', async () => {
    // Recent timestamps: Kafka's time-based retention must not see the records as old.
    const once = mixedCapture();
    const startMicros = recentBase() * 1000;
    const capture: PcapPacket[] = [];
    for (let r = 0; r < 10; r++) {
      for (const p of once) {
        capture.push({
          timestampMicros: startMicros + (p.timestampMicros - once[0]!.timestampMicros) + r * 1_000_000,
          frame: p.frame,
        });
      }
    }
    const file = `${dir}/mixed10.pcap`;
    writePcap(file, capture);

    // Per-run topic names, so reruns against one broker never mix.
    const prefix = uniqueName('e2e');
    const topics = Object.fromEntries(
      Object.entries(defaultPacketTopics).map(([layer, t]) => [layer, `${prefix}.${t}`]),
    ) as Record<keyof typeof defaultPacketTopics, string>;
    const builder = new StreamsBuilder();
    const packets = builder.stream<string, Packet>(tsharkSource({ file }), {
      topic: `${prefix}.network-packets`,
      key: stringSerde,
      value: jsonSerde<Packet>(),
    });
    const byLayer = packets.branchByLayer(['tcp', 'udp', 'icmp', 'arp', 'dns', 'http', 'tls']);
    for (const [layer, stream] of Object.entries(byLayer)) {
      const topic = layer === 'default' ? topics.other : topics[layer as keyof typeof topics];
      stream.to(topic, { key: stringSerde, value: jsonSerde<Packet>() });
    }
    const app = new StreamsApp(builder.build(), {
      applicationId: uniqueName('routing'),
      stateDir: mkdtempSync(join(tmpdir(), 'tributary-routing-kafka-state-')),
      commitIntervalMs: 200,
      kafka: { brokers: brokers() },
    });
    await app.start();
    await app.whenDone();
    await app.close();

    const admin = testKafka('e2e-check').admin();
    await admin.connect();
    const counts = new Map<string, number>();
    try {
      for (const topic of Object.values(topics)) {
        const existing = await admin.listTopics();
        if (!existing.includes(topic)) continue;
        const offsets = await admin.fetchTopicOffsets(topic);
        const n = offsets.reduce((sum, o) => sum + Number(o.high), 0);
        if (n > 0) counts.set(topic.slice(prefix.length + 1), n);
      }
    } finally {
      await admin.disconnect();
    }
    const expected = countsFromHierarchy(protocolHierarchy(file), { outputs: defaultPacketTopics });
    const sorted = (m: Map<string, number>) =>
      Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    expect(sorted(counts)).toEqual(sorted(expected));
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(capture.length);
  });
});
