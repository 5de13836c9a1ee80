/**
 * The monitoring topology on the real broker: packets on a 2-partition topic, observations through
 * a repartition topic, window, baseline and gate state in changelogged stores; the alerts on the
 * output topic equal what the test driver (runDetection) raises for the same packets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNetworkMonitor, runDetection } from '../../../examples/network-monitor/monitor/index.js';
import type { Alert } from '../../../examples/network-monitor/types.js';
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { dnsAnswer, records, tcp } from '../../unit/netmon/packets.js';
import { createTopic, produce, readTopic, recentBase } from '../kafka-runtime/kafka-test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'netmon-kafka-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port scan, an NXDOMAIN burst and a SYN flood among ordinary handshakes, over 3 minutes. */
function traffic(t0: number): Packet[] {
  const out: Packet[] = [];
  for (let i = 0; i < 360; i++) {
    const client = `10.0.1.${10 + (i % 8)}`;
    const t = t0 + i * 500;
    out.push(tcp(t, client, 40000 + i, '10.0.0.80', 443, { syn: true }));
    out.push(tcp(t + 2, '10.0.0.80', 443, client, 40000 + i, { syn: true, ack: true }));
  }
  for (let i = 0; i < 80; i++)
    out.push(tcp(t0 + 20_000 + i * 250, '203.0.113.9', 50000, '10.0.0.1', 1 + i, { syn: true }));
  for (let i = 0; i < 30; i++) out.push(dnsAnswer(t0 + 60_000 + i * 300, '10.0.0.53', '10.0.1.44', 3));
  for (let i = 0; i < 400; i++)
    out.push(tcp(t0 + 100_000 + i * 50, '198.51.100.66', 40000, '10.0.0.80', 80, { syn: true }));
  return out;
}

const byId = (alerts: readonly Alert[]) =>
  [...alerts].map((a) => `${a.id} ${a.severity} ${a.firedAt}`).sort();

describe('monitor on Kafka', () => {
  it('raises the same alerts as the test driver, across partitions and a repartition topic', async () => {
    const input = await createTopic('netmon-packets', 2);
    const output = uniqueName('netmon-alerts');
    const packets = records(traffic(recentBase()));
    await produce(
      input,
      packets.map((r) => ({ key: r.key, value: JSON.stringify(r.value), timestamp: r.timestamp })),
    );
    // A generous grace: the whole input is a backlog when the app starts, and the two partitions'
    // records meet in the repartition topic batch by batch, minutes apart in event time; with the
    // default 30 s grace the older windows would count them as late (see the report).
    const options = { store: 'persistent', window: { grace: '10m' } } as const;
    const expected = (await runDetection(packets, options)).alerts;
    expect(new Set(expected.map((a) => a.detector))).toEqual(
      new Set(['port-scan', 'dns-nxdomain', 'syn-flood']),
    );

    const builder = new StreamsBuilder();
    const stream = builder.stream<string, Packet>(input, { key: stringSerde, value: jsonSerde<Packet>() });
    const monitor = buildNetworkMonitor(builder, stream, options);
    monitor.alerts.to(output, { key: stringSerde, value: jsonSerde<Alert>() });
    const app = new StreamsApp(builder.build(), {
      applicationId: uniqueName('netmon'),
      stateDir: dir,
      kafka: { brokers: brokers() },
      commitIntervalMs: 200,
    });
    await app.start();
    try {
      await app.whenDone();
      const read = await readTopic(output, (rs) => rs.length >= expected.length, 60_000);
      const alerts = read.map((r) => JSON.parse(r.value!) as Alert);
      expect(byId(alerts)).toEqual(byId(expected));
      expect(read.every((r) => r.key === (JSON.parse(r.value!) as Alert).source)).toBe(true);
    } finally {
      await app.close();
    }
  }, 180_000);
});
