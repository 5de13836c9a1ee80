import { describe, expect, it } from 'vitest';
import {
  MonitorOptionsError,
  resolveMonitorOptions,
} from '../../../examples/network-monitor/monitor/index.js';

describe('monitor options', () => {
  it('defaults to hopping 5 min / 1 min with 30 s grace, the write-up thresholds and packets.<layer> topics', () => {
    const config = resolveMonitorOptions();
    expect(config.window).toEqual({ sizeMs: 300_000, advanceMs: 60_000, graceMs: 30_000 });
    expect(config.packetRate.maxPackets).toBe(1000);
    expect(config.slowResponse.maxAvgResponseMs).toBe(5000);
    expect(config.alertGate.cooldownMs).toBe(60_000); // the window advance
    expect(config.topics).toEqual({
      tcp: 'packets.tcp',
      udp: 'packets.udp',
      icmp: 'packets.icmp',
      arp: 'packets.arp',
      dns: 'packets.dns',
      http: 'packets.http',
      tls: 'packets.tls',
      other: 'packets.other',
    });
    expect(config.idleCloseMs).toBeUndefined();
  });

  it('takes every threshold and duration from the options', () => {
    const config = resolveMonitorOptions({
      window: { size: '10m', advance: '2m', grace: 0 },
      topics: { dns: 'dns-packets' },
      portScan: { minDistinctPorts: 7 },
      synFlood: { minSyns: 9, maxAnsweredRatio: 0.5, minSynsPerPort: 2 },
      trafficSpike: { alpha: 0.5, forgetAfter: '2h' },
      alertGate: { cooldown: '5m' },
      idleClose: '30s',
    });
    expect(config.window).toEqual({ sizeMs: 600_000, advanceMs: 120_000, graceMs: 0 });
    expect(config.topics.dns).toBe('dns-packets');
    expect(config.topics.tcp).toBe('packets.tcp');
    expect(config.portScan.minDistinctPorts).toBe(7);
    expect(config.synFlood).toEqual({ minSyns: 9, maxAnsweredRatio: 0.5, minSynsPerPort: 2 });
    expect(config.trafficSpike.alpha).toBe(0.5);
    expect(config.trafficSpike.forgetAfterMs).toBe(7_200_000);
    expect(config.alertGate.cooldownMs).toBe(300_000);
    expect(config.idleCloseMs).toBe(30_000);
  });

  it.each([
    [
      { window: { advance: '10m' } },
      /window\.advance is 600000; expected .*at most window\.size \(300000 ms\)/,
    ],
    [{ window: { size: 'five minutes' } }, /window\.size is "five minutes"; expected a duration/],
    [{ window: { size: 0 } }, /window\.size is 0/],
    [{ packetRate: { maxPackets: 0 } }, /packetRate\.maxPackets is 0; expected a whole number of at least 1/],
    [
      { synFlood: { maxAnsweredRatio: 1.5 } },
      /synFlood\.maxAnsweredRatio is 1\.5; expected a number from 0 to 1/,
    ],
    [{ trafficSpike: { alpha: 0 } }, /trafficSpike\.alpha is 0/],
    [{ slowResponse: { maxAvgResponseMs: Number.NaN } }, /slowResponse\.maxAvgResponseMs is null/],
    [{ topics: { tcp: '' } }, /topics\.tcp is ""; expected a topic name/],
    [{ name: 'net mon' }, /name is "net mon"/],
    [{ criticalFactor: 0.5 }, /criticalFactor is 0\.5; expected a number of at least 1/],
  ])('rejects %j with a message naming the option', (options, message) => {
    expect(() => resolveMonitorOptions(options as never)).toThrow(MonitorOptionsError);
    expect(() => resolveMonitorOptions(options as never)).toThrow(message);
  });
});
