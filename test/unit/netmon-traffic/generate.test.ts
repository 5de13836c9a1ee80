/**
 * The generator: deterministic, in time order, the bundled demo capture reproducible byte for byte,
 * labels that match the packets, and ordinary traffic that stays far from the static thresholds.
 * Window counts here are a plain reference computation over the frames' own bytes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ANOMALY_DEFAULTS,
  DEFAULT_WINDOW,
  DEMO_CAPTURE,
  E2E_CAPTURE,
  generateTraffic,
  normalOnly,
  PACKET_RATE_THRESHOLD,
  type TrafficOptions,
  writeCapture,
} from '../../../examples/network-monitor/traffic/index.js';
import type { PcapPacket } from '../../../examples/network-monitor/traffic/pcap/file.js';

const dataDir = join(import.meta.dirname, '../../../examples/network-monitor/data');
const dir = mkdtempSync(join(tmpdir(), 'tributary-netmon-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small: TrafficOptions = {
  seed: 99,
  durationS: 120,
  startMs: Date.UTC(2026, 0, 1),
  normalHosts: 20,
  packetsPerSecond: 20,
  anomalies: [
    { kind: 'port-scan', atS: 10 },
    { kind: 'syn-flood', atS: 30, durationS: 20 },
    { kind: 'dns-nxdomain', atS: 40 },
    { kind: 'slow-response', atS: 50, durationS: 30 },
    { kind: 'packet-rate', atS: 60 },
    { kind: 'traffic-spike', atS: 70, durationS: 40 },
  ],
};

function sha256(packets: Iterable<PcapPacket>): string {
  const hash = createHash('sha256');
  for (const p of packets) {
    hash.update(String(p.timestampMicros));
    hash.update(p.frame);
  }
  return hash.digest('hex');
}

/** The sender of a frame: IPv4 or IPv6 source address, else the source MAC (ARP). */
function sourceOf(frame: Buffer): string {
  const etherType = frame.readUInt16BE(12);
  if (etherType === 0x0800) return `${frame[26]}.${frame[27]}.${frame[28]}.${frame[29]}`;
  if (etherType === 0x86dd) return `v6:${frame.subarray(22, 38).toString('hex')}`;
  return `mac:${frame.subarray(6, 12).toString('hex')}`;
}

/**
 * Counts packets per (source, default hopping window) in capture order; `onCount` sees each new count
 * with the packet's time (ms), so a caller can spot the first window crossing a threshold.
 */
function windowCounts(
  packets: Iterable<PcapPacket>,
  onCount: (source: string, count: number, ms: number) => void = () => {},
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of packets) {
    const ms = Math.floor(p.timestampMicros / 1000);
    const source = sourceOf(p.frame);
    for (
      let start = ms - (ms % DEFAULT_WINDOW.advanceMs);
      start > ms - DEFAULT_WINDOW.sizeMs;
      start -= DEFAULT_WINDOW.advanceMs
    ) {
      const key = `${source}@${start}`;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      onCount(source, count, ms);
    }
  }
  return counts;
}

describe('generateTraffic', () => {
  it('is deterministic: same options, same packets and labels; another seed, other packets', () => {
    const a = generateTraffic(small);
    const b = generateTraffic(small);
    expect(sha256(a.packets())).toBe(sha256(b.packets()));
    expect(sha256(a.packets())).toBe(sha256(a.packets())); // packets() starts over
    expect(a.labels).toEqual(b.labels);
    expect(sha256(generateTraffic({ ...small, seed: 100 }).packets())).not.toBe(sha256(a.packets()));
  });

  it('yields packets in timestamp order over the whole duration', () => {
    let last = 0;
    let count = 0;
    for (const p of generateTraffic(small).packets()) {
      expect(p.timestampMicros).toBeGreaterThanOrEqual(last);
      last = p.timestampMicros;
      count++;
    }
    expect(count).toBeGreaterThan(small.durationS * small.packetsPerSecond * 0.8);
    expect(last / 1000 - small.startMs).toBeGreaterThan((small.durationS - 1) * 1000);
  });

  it('labels every anomaly with its own source, and a SYN flood with packet-rate as well', () => {
    const { labels } = generateTraffic(small);
    const byDetector = (d: string) => labels.filter((l) => l.detector === d);
    for (const kind of [
      'port-scan',
      'syn-flood',
      'dns-nxdomain',
      'slow-response',
      'traffic-spike',
    ] as const) {
      expect(byDetector(kind).map((l) => l.anomaly)).toEqual([kind]);
    }
    expect(
      byDetector('packet-rate')
        .map((l) => l.anomaly)
        .sort(),
    ).toEqual(['packet-rate', 'syn-flood']);
    const sources = new Set(labels.filter((l) => l.detector !== 'packet-rate').map((l) => l.source));
    expect(sources.size).toBe(5);
    for (const l of labels) {
      expect(l.endMs).toBeGreaterThan(l.startMs);
      expect(l.startMs).toBeGreaterThanOrEqual(small.startMs);
    }
  });

  it('starts a packet-rate label at the packet that crosses the threshold in a default window', () => {
    const traffic = generateTraffic(small);
    const crossing = new Map<string, number>();
    windowCounts(traffic.packets(), (source, count, ms) => {
      if (count > PACKET_RATE_THRESHOLD && !crossing.has(source)) crossing.set(source, ms);
    });
    const labelled = traffic.labels.filter((l) => l.detector === 'packet-rate');
    expect(new Set(labelled.map((l) => l.source))).toEqual(new Set(crossing.keys()));
    for (const l of labelled) expect(l.startMs).toBe(crossing.get(l.source));
  });

  it('keeps ordinary hosts well under the packet-rate threshold in every window (normal-only demo)', () => {
    const counts = windowCounts(generateTraffic(normalOnly(DEMO_CAPTURE)).packets());
    const busiest = Math.max(...counts.values());
    expect(busiest).toBeGreaterThan(100); // the traffic is real...
    expect(busiest).toBeLessThan(PACKET_RATE_THRESHOLD * 0.7); // ...and no ordinary host comes near 1000
  });

  it('varies each host rate over time (drift and bursts), not a constant stream', () => {
    const perSecond = new Map<string, number[]>();
    for (const p of generateTraffic(normalOnly(small)).packets()) {
      const second = Math.floor((p.timestampMicros / 1000 - small.startMs) / 10_000);
      const source = sourceOf(p.frame);
      const series = perSecond.get(source) ?? Array<number>(Math.ceil(small.durationS / 10) + 2).fill(0);
      series[second] = (series[second] ?? 0) + 1;
      perSecond.set(source, series);
    }
    const client = perSecond.get('10.1.0.20')!;
    expect(Math.max(...client)).toBeGreaterThan(2 * Math.min(...client.slice(0, 12)));
  });

  it('refuses options that cannot give a fair capture, saying why', () => {
    expect(() => generateTraffic({ ...small, packetsPerSecond: 100 })).toThrow(
      /more than 1.5 per host.*at least 67 hosts/,
    );
    expect(() => generateTraffic({ ...small, anomalies: [{ kind: 'port-scan', atS: 500 }] })).toThrow(
      /outside the capture/,
    );
    expect(() => generateTraffic({ ...small, durationS: 0 })).toThrow(/durationS must be > 0/);
  });

  it('sizes anomalies by intensity', () => {
    const scan = (intensity: number) =>
      [
        ...generateTraffic({ ...small, anomalies: [{ kind: 'port-scan', atS: 10, intensity }] }).packets(),
      ].filter((p) => sourceOf(p.frame) === '10.66.1.10').length;
    expect(scan(1)).toBeGreaterThanOrEqual(ANOMALY_DEFAULTS['port-scan'].size);
    expect(scan(0.5)).toBeLessThan(ANOMALY_DEFAULTS['port-scan'].size * 0.6);
  });
});

describe('the bundled captures', () => {
  it('regenerates the demo capture and its labels byte for byte (same SHA-256)', () => {
    const pcap = join(dir, 'demo.pcap');
    const labels = join(dir, 'demo.labels.json');
    writeCapture(DEMO_CAPTURE, pcap, labels);
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(digest(pcap)).toBe(digest(join(dataDir, 'demo.pcap')));
    expect(readFileSync(labels, 'utf8').replace('"capture": "demo.pcap"', '')).toBe(
      readFileSync(join(dataDir, 'demo.labels.json'), 'utf8').replace('"capture": "demo.pcap"', ''),
    );
  });

  it('gives the end-to-end tests a different capture from the demo', () => {
    expect(E2E_CAPTURE.seed).not.toBe(DEMO_CAPTURE.seed);
    const e2e = generateTraffic(E2E_CAPTURE).labels;
    const demo = generateTraffic(DEMO_CAPTURE).labels;
    expect(e2e.map((l) => l.startMs - E2E_CAPTURE.startMs)).not.toEqual(
      demo.map((l) => l.startMs - DEMO_CAPTURE.startMs),
    );
  });
});
