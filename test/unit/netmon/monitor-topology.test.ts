/**
 * The monitoring topology end to end on the test driver (runDetection): statistics equal a
 * reference computation, attribution, eager alerts, closed windows, baseline and gate in place.
 */
import { describe, expect, it } from 'vitest';
import { runDetection } from '../../../examples/network-monitor/monitor/index.js';
import type { SourceWindowStats } from '../../../examples/network-monitor/types.js';
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { dnsAnswer, packet, records, tcp } from './packets.js';
import { referenceStats, sortRows } from './reference-stats.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const second = 1000;
const minute = 60_000;

/** Ordinary mixed traffic: clients doing TCP handshakes and data with a server, DNS (some NXDOMAIN), ARP. */
function mixedTraffic(seed: number, durationMs: number): Packet[] {
  const next = seededRandom(seed);
  const out: Packet[] = [];
  const clients = Array.from({ length: 6 }, (_, i) => `10.0.1.${i + 10}`);
  for (let t = T0; t < T0 + durationMs; t += Math.floor(200 + next() * 1800)) {
    const client = clients[Math.floor(next() * clients.length)]!;
    const port = 40000 + Math.floor(next() * 20000);
    switch (Math.floor(next() * 4)) {
      case 0:
        out.push(tcp(t, client, port, '10.0.0.80', 443, { syn: true }));
        out.push(tcp(t + 3, '10.0.0.80', 443, client, port, { syn: true, ack: true, rttMs: undefined }));
        out.push(tcp(t + 6, client, port, '10.0.0.80', 443, { ack: true, rttMs: 3 + next() * 50 }));
        break;
      case 1:
        out.push(packet(t, { srcIp: client, dstIp: '10.0.0.53', srcPort: port, dstPort: 53, length: 80 }));
        out.push(dnsAnswer(t + 4, '10.0.0.53', client, next() < 0.1 ? 3 : 0, 4 + next() * 20));
        break;
      case 2:
        out.push(tcp(t, '10.0.0.80', 443, client, port, { ack: true }));
        out.push(tcp(t + 40, client, port, '10.0.0.80', 443, { ack: true, rttMs: 40 }));
        break;
      default:
        out.push(
          packet(t, {
            ipVersion: undefined,
            srcMac: '02:00:00:00:00:07',
            dstMac: 'ff:ff:ff:ff:ff:ff',
            length: 42,
          }),
        );
    }
  }
  return out;
}

/** Rows with averages rounded, so float summation order does not matter. */
function comparable(rows: SourceWindowStats[]): SourceWindowStats[] {
  return sortRows(rows).map((r) => ({
    ...r,
    avgResponseMs: r.avgResponseMs === undefined ? undefined : Math.round(r.avgResponseMs * 1e6) / 1e6,
  }));
}

describe('monitoring topology', () => {
  it('closes one row per (source, window) equal to a reference computation', async () => {
    const packets = mixedTraffic(7, 12 * minute);
    const { closedStats, alerts } = await runDetection(records(packets));
    expect(closedStats.length).toBeGreaterThan(50);
    expect(comparable(closedStats)).toEqual(comparable(referenceStats(packets)));
    expect(alerts).toEqual([]); // ordinary traffic
  });

  it('emits closed rows in window order, as each window closes, and the rest when the input ends', async () => {
    const packets = mixedTraffic(3, 10 * minute);
    const { closedStats } = await runDetection(records(packets));
    const starts = closedStats.map((r) => r.windowStart);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const keys = closedStats.map((r) => `${r.source}@${r.windowStart}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('attributes SYN-ACKs and NXDOMAINs to the host that receives them', async () => {
    const packets: Packet[] = [];
    for (let i = 0; i < 30; i++) {
      packets.push(tcp(T0 + i * second, '10.0.1.10', 40000 + i, '10.0.0.80', 80, { syn: true }));
      if (i % 3 === 0)
        packets.push(
          tcp(T0 + i * second + 5, '10.0.0.80', 80, '10.0.1.10', 40000 + i, { syn: true, ack: true }),
        );
      if (i % 2 === 0) packets.push(dnsAnswer(T0 + i * second + 7, '10.0.0.53', '10.0.1.10', 3));
    }
    const { closedStats } = await runDetection(records(packets));
    const window = (source: string) => closedStats.find((r) => r.source === source && r.windowStart === T0)!;
    expect(window('10.0.1.10')).toMatchObject({
      tcpSyn: 30,
      tcpSynAck: 0,
      tcpSynAckReceived: 10,
      dnsNxdomain: 15,
      packets: 30,
    });
    expect(window('10.0.0.80')).toMatchObject({
      tcpSyn: 0,
      tcpSynAck: 10,
      tcpSynAckReceived: 0,
      packets: 10,
    });
    expect(window('10.0.0.53')).toMatchObject({ dnsNxdomain: 0, packets: 15 });
  });

  it('fires eagerly, at the packet that crosses the threshold, once per cooldown', async () => {
    const scan = Array.from({ length: 300 }, (_, i) =>
      tcp(T0 + 10 * second + i * 200, '203.0.113.9', 50000, '10.0.0.1', 1 + i, { syn: true }),
    );
    const { alerts } = await runDetection(records([...scan, ...mixedTraffic(5, 3 * minute)]));
    const scans = alerts.filter((a) => a.detector === 'port-scan');
    // The 30th distinct port is the 30th SYN: index 29. Five hopping windows cross at once; one alert.
    expect(scans[0]).toMatchObject({
      source: '203.0.113.9',
      severity: 'warning',
      firedAt: T0 + 10 * second + 29 * 200,
    });
    expect(scans[0]!.windowStart).toBeLessThanOrEqual(scans[0]!.firedAt);
    expect(scans[0]!.windowEnd).toBeGreaterThan(scans[0]!.firedAt);
    // 60 ports: an escalation to critical passes inside the cooldown; then nothing more for a minute.
    expect(scans[1]).toMatchObject({ severity: 'critical', firedAt: T0 + 10 * second + 59 * 200 });
    expect(scans.length).toBe(2); // the scan lasts 60 s: the cooldown (60 s) is never over
    expect(alerts.filter((a) => a.source !== '203.0.113.9')).toEqual([]);
  });

  it('raises syn-flood, dns-nxdomain, packet-rate and slow-response on their patterns', async () => {
    const packets: Packet[] = [];
    for (let i = 0; i < 1200; i++)
      packets.push(tcp(T0 + i * 50, '198.51.100.66', 40000 + (i % 1000), '10.0.0.80', 80, { syn: true }));
    for (let i = 0; i < 25; i++) packets.push(dnsAnswer(T0 + i * 500, '10.0.0.53', '10.0.1.44', 3));
    for (let i = 0; i < 5; i++)
      packets.push(tcp(T0 + i * second, '10.0.0.81', 8080, '10.0.1.45', 40000, { ack: true, rttMs: 6000 }));
    const { alerts } = await runDetection(records(packets));
    const first = (detector: string) => alerts.find((a) => a.detector === detector);
    expect(first('syn-flood')).toMatchObject({ source: '198.51.100.66', firedAt: T0 + 99 * 50 });
    expect(first('packet-rate')).toMatchObject({ source: '198.51.100.66', firedAt: T0 + 1000 * 50 });
    expect(first('dns-nxdomain')).toMatchObject({ source: '10.0.1.44', firedAt: T0 + 9 * 500 });
    expect(first('slow-response')).toMatchObject({ source: '10.0.0.81', firedAt: T0 });
    expect(alerts.find((a) => a.detector === 'port-scan')).toBeUndefined(); // one port: a flood, not a scan
  });

  it('learns a baseline from closed windows and flags a spike only once it is warm', async () => {
    const host = '10.0.1.20';
    const steady = (from: number, to: number, everyMs: number) => {
      const out: Packet[] = [];
      for (let t = from; t < to; t += everyMs) out.push(tcp(t, host, 40000, '10.0.0.80', 443, { ack: true }));
      return out;
    };
    // 20 minutes at 1 packet/s (300 per window), then 10 packets/s
    const normal = steady(T0, T0 + 20 * minute, second);
    const spike = steady(T0 + 20 * minute, T0 + 23 * minute, 100);
    const quiet = await runDetection(records(normal));
    expect(quiet.alerts).toEqual([]);
    const { alerts } = await runDetection(records([...normal, ...spike]));
    const spikes = alerts.filter((a) => a.detector === 'traffic-spike');
    expect(spikes.length).toBeGreaterThan(0);
    expect(spikes[0]).toMatchObject({ source: host });
    // Pro rata: once the newest window is one advance old (6x its expected 60 packets), not when
    // a whole window's worth has piled up.
    expect(spikes[0]!.firedAt).toBeGreaterThan(T0 + 20 * minute);
    expect(spikes[0]!.firedAt).toBeLessThanOrEqual(T0 + 21 * minute);
    // Windows that closed while the spike built up are learnt clipped: the baseline barely moves.
    expect(spikes[0]!.evidence.baselineMean).toBeGreaterThanOrEqual(300);
    expect(spikes[0]!.evidence.baselineMean).toBeLessThan(330);
    expect(spikes[0]!.evidence.ratio).toBeGreaterThanOrEqual(4);

    // A 2-minute jump after only 1 minute of history: fewer than 3 windows covering a minute or
    // more of the host close before the jump ends, so the baseline is not warm yet.
    const short = steady(T0 + 19 * minute, T0 + 20 * minute, second);
    const cold = await runDetection(records([...short, ...steady(T0 + 20 * minute, T0 + 22 * minute, 100)]));
    expect(cold.alerts.filter((a) => a.detector === 'traffic-spike')).toEqual([]);
  });
});
