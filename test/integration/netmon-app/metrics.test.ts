/** The scale recommendation and the network metrics the endpoint serves, fed from snapshots. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startMetricsServer } from '../../../examples/network-monitor/app/metrics-server.js';
import { NetmonMetrics } from '../../../examples/network-monitor/app/netmon-metrics.js';
import { recommendInstances } from '../../../examples/network-monitor/app/scale-recommendation.js';
import { SnapshotProducer } from '../../../examples/network-monitor/app/snapshot-producer.js';

describe('recommendInstances', () => {
  it('asks for enough instances to drain the lag within the target time, clamped to [1, partitions]', () => {
    const base = { perInstanceRecordsPerSecond: 1000, partitions: 12, targetDrainSeconds: 60 };
    expect(recommendInstances({ ...base, lag: 0 })).toBe(1);
    expect(recommendInstances({ ...base, lag: 60_000 })).toBe(1);
    expect(recommendInstances({ ...base, lag: 60_001 })).toBe(2);
    expect(recommendInstances({ ...base, lag: 300_000 })).toBe(5);
    expect(recommendInstances({ ...base, lag: 10_000_000 })).toBe(12);
    expect(recommendInstances({ ...base, lag: 500, perInstanceRecordsPerSecond: 0 })).toBe(12);
  });
});

describe('NetmonMetrics', () => {
  it('counts packets and bytes per layer and alerts per detector, served on 127.0.0.1', async () => {
    let lag = 0;
    const producer = new SnapshotProducer({
      windowMs: 300_000,
      advanceMs: 60_000,
      pipeline: { consumerLag: () => lag, deadLetters: () => 0 },
    });
    const registry = new Registry();
    const metrics = new NetmonMetrics({ registry, partitions: 4, targetDrainSeconds: 10 });
    const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);
    for (let i = 0; i < 30; i++) producer.observePacket(i % 3 === 0 ? 'dns' : 'tcp', 100, t0 + i * 100);
    producer.observeAlert({
      id: 'port-scan:10.0.0.1:0',
      detector: 'port-scan',
      severity: 'warning',
      source: '10.0.0.1',
      windowStart: t0,
      windowEnd: t0 + 300_000,
      firedAt: t0,
      summary: 'scan',
      evidence: {},
    });
    metrics.update(producer.publish(), producer.bytesByLayer());
    // A second update adds only what is new.
    producer.observePacket('tcp', 60, t0 + 3100);
    lag = 1_000_000;
    metrics.update(producer.publish(), producer.bytesByLayer());
    const server = await startMetricsServer(registry, '127.0.0.1', 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await (await fetch(server.url)).text();
      expect(text).toContain('netmon_packets_total{layer="tcp"} 21');
      expect(text).toContain('netmon_packets_total{layer="dns"} 10');
      expect(text).toContain('netmon_bytes_total{layer="tcp"} 2060');
      expect(text).toContain('netmon_alerts_total{detector="port-scan"} 1');
      expect(text).toContain('netmon_pipeline_consumer_lag 1000000');
      // A backlog with no measured throughput yet: every partition gets an instance.
      expect(text).toContain('netmon_scale_recommended_instances 4');
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
      producer.stop();
    }
  });
});
