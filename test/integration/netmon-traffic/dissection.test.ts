/**
 * Real tshark on generated captures (the end-to-end capture and its normal-only twin, written at test
 * time): every packet type dissects as intended, and each injected anomaly looks in tshark's fields
 * the way its label says (the SYN flood gets no SYN-ACK, the NXDOMAIN burst gets rcode 3, ...).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANOMALY_DEFAULTS,
  E2E_CAPTURE,
  type LabelsFile,
  normalOnly,
  writeCapture,
} from '../../../examples/network-monitor/traffic/index.js';
import { protocolHierarchy, walk } from '../../helpers/tshark-phs.js';

const FIELDS = [
  'frame.time_epoch',
  'frame.protocols',
  'ip.src',
  'ip.dst',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.flags.reset',
  'tcp.dstport',
  'tcp.analysis.ack_rtt',
  'dns.flags.response',
  'dns.flags.rcode',
  'dns.time',
  'http.time',
  'tls.handshake.extensions_server_name',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/** tshark's fields of every frame (first occurrence of each field). */
function dissect(file: string): Row[] {
  const out = execFileSync(
    'tshark',
    ['-n', '-r', file, '-T', 'fields', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const values = line.split('\t');
      return Object.fromEntries(FIELDS.map((f, i) => [f, values[i] ?? ''])) as Row;
    });
}

const flag = (value: string) => value === '1' || value === 'True';
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const dir = mkdtempSync(join(tmpdir(), 'tributary-netmon-dissect-'));
let capture: LabelsFile;
let rows: Row[];
let normalRows: Row[];
let normalFile: string;

beforeAll(() => {
  const file = join(dir, 'e2e.pcap');
  capture = writeCapture(E2E_CAPTURE, file, join(dir, 'e2e.labels.json'));
  rows = dissect(file);
  normalFile = join(dir, 'normal.pcap');
  writeCapture(normalOnly(E2E_CAPTURE), normalFile);
  normalRows = dissect(normalFile);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sourceOf(detector: string): string {
  const label = capture.labels.find((l) => l.detector === detector);
  if (!label) throw new Error(`no ${detector} label in the e2e capture`);
  return label.source;
}

describe('generated traffic through real tshark', () => {
  it('dissects every frame, with every protocol of the mix and nothing malformed', () => {
    expect(rows.length).toBe(capture.packets);
    const paths = new Set([...walk(protocolHierarchy(normalFile))].map((n) => n.path.join(':')));
    for (const path of [
      'eth:ip:tcp',
      'eth:ip:tcp:http',
      'eth:ip:tcp:tls',
      'eth:ip:tcp:data',
      'eth:ip:udp:dns',
      'eth:ip:udp:data',
      'eth:ip:icmp',
      'eth:arp',
      'eth:ipv6:udp:data',
      'eth:ipv6:icmpv6',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect([...paths].some((p) => p.includes('malformed') || p.includes('_ws.'))).toBe(false);
    expect(rows.some((r) => r['frame.protocols'].includes('malformed'))).toBe(false);
  });

  it('carries TLS SNI, DNS and HTTP response times and ack RTTs from about a millisecond to hundreds', () => {
    const sni = normalRows.filter((r) => r['tls.handshake.extensions_server_name'] !== '');
    expect(sni.length).toBeGreaterThan(100);
    expect(sni.every((r) => /\.(example|com|org|net)/.test(r['tls.handshake.extensions_server_name']))).toBe(
      true,
    );
    const rtts = normalRows.map((r) => Number(r['tcp.analysis.ack_rtt'])).filter((x) => x > 0);
    rtts.sort((a, b) => a - b);
    expect(rtts[Math.floor(rtts.length / 2)]!).toBeGreaterThan(0.0005);
    expect(rtts[Math.floor(rtts.length * 0.99)]!).toBeGreaterThan(0.1);
    expect(rtts[Math.floor(rtts.length * 0.99)]!).toBeLessThan(1);
    expect(normalRows.filter((r) => r['dns.time'] !== '').length).toBeGreaterThan(100);
    expect(normalRows.filter((r) => r['http.time'] !== '').length).toBeGreaterThan(50);
  });

  it('the SYN flood: thousands of SYNs to one target, not one SYN-ACK back', () => {
    const attacker = sourceOf('syn-flood');
    const syns = rows.filter(
      (r) => r['ip.src'] === attacker && flag(r['tcp.flags.syn']) && !flag(r['tcp.flags.ack']),
    );
    expect(syns.length).toBe(Math.round(ANOMALY_DEFAULTS['syn-flood'].size * 0.75));
    expect(new Set(syns.map((r) => r['ip.dst'])).size).toBe(1);
    expect(rows.filter((r) => r['ip.dst'] === attacker).length).toBe(0);
  });

  it('the port scan: SYNs to hundreds of distinct ports from one source, answered by RSTs', () => {
    const scanner = sourceOf('port-scan');
    const syns = rows.filter((r) => r['ip.src'] === scanner && flag(r['tcp.flags.syn']));
    expect(new Set(syns.map((r) => r['tcp.dstport'])).size).toBe(
      Math.round(ANOMALY_DEFAULTS['port-scan'].size * 1.5),
    );
    const answers = rows.filter((r) => r['ip.dst'] === scanner);
    expect(answers.filter((r) => flag(r['tcp.flags.reset'])).length).toBeGreaterThan(syns.length * 0.95);
  });

  it('the NXDOMAIN burst: every query answered with rcode 3; ordinary hosts see only the odd one', () => {
    const client = sourceOf('dns-nxdomain');
    const answers = rows.filter((r) => r['ip.dst'] === client && flag(r['dns.flags.response']));
    expect(answers.length).toBe(Math.round(ANOMALY_DEFAULTS['dns-nxdomain'].size * 1.3));
    expect(answers.every((r) => r['dns.flags.rcode'] === '3')).toBe(true);
    const nxPerHost = new Map<string, number>();
    for (const r of normalRows)
      if (r['dns.flags.rcode'] === '3') nxPerHost.set(r['ip.dst'], (nxPerHost.get(r['ip.dst']) ?? 0) + 1);
    expect(nxPerHost.size).toBeGreaterThan(0);
    expect(Math.max(...nxPerHost.values())).toBeLessThan(10);
  });

  it('the slow server: every response time it shows tshark is above 5 s; ordinary servers are fast', () => {
    const server = sourceOf('slow-response');
    const times = rows
      .filter((r) => r['ip.src'] === server)
      .flatMap((r) => [r['tcp.analysis.ack_rtt'], r['http.time']])
      .filter((v) => v !== '')
      .map(Number);
    expect(times.length).toBeGreaterThan(30);
    expect(Math.min(...times)).toBeGreaterThan(5);
    const ordinary = normalRows.map((r) => Number(r['http.time'])).filter((x) => x > 0);
    expect(mean(ordinary)).toBeLessThan(1);
  });

  it('the packet-rate host sends more than 1000 packets inside five minutes', () => {
    const sender = capture.labels.find((l) => l.anomaly === 'packet-rate')!.source;
    const times = rows.filter((r) => r['ip.src'] === sender).map((r) => Number(r['frame.time_epoch']));
    expect(times.length).toBeGreaterThan(1000);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(300);
  });

  it('the traffic spike: its host sends over five times more per second during the spike than before', () => {
    const spike = capture.labels.find((l) => l.detector === 'traffic-spike')!;
    const times = rows
      .filter((r) => r['ip.src'] === spike.source)
      .map((r) => Number(r['frame.time_epoch']) * 1000);
    const before =
      times.filter((t) => t < spike.startMs).length / ((spike.startMs - E2E_CAPTURE.startMs) / 1000);
    const during =
      times.filter((t) => t >= spike.startMs && t < spike.endMs).length /
      ((spike.endMs - spike.startMs) / 1000);
    expect(during).toBeGreaterThan(5 * before);
  });

  it('normal-only: every host that sends SYNs gets SYN-ACKs back for them', () => {
    const syns = new Map<string, number>();
    const synAcks = new Map<string, number>();
    for (const r of normalRows) {
      if (!flag(r['tcp.flags.syn'])) continue;
      const map = flag(r['tcp.flags.ack']) ? synAcks : syns;
      const host = flag(r['tcp.flags.ack']) ? r['ip.dst'] : r['ip.src'];
      map.set(host, (map.get(host) ?? 0) + 1);
    }
    expect(syns.size).toBeGreaterThan(10);
    for (const [host, n] of syns) expect(synAcks.get(host), host).toBe(n);
  });
});
