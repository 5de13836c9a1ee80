/**
 * The monitoring topology on a generated capture decoded by the real tshark: the closed window
 * statistics equal a straightforward reference computation over the same packets as tshark decoded
 * them, and each injected anomaly raises its detector's alert for its source, nothing else alerts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DetectionResult, runDetection } from '../../../examples/network-monitor/monitor/index.js';
import {
  type LabelsFile,
  type TrafficOptions,
  writeCapture,
} from '../../../examples/network-monitor/traffic/index.js';
import type { SourceWindowStats } from '../../../examples/network-monitor/types.js';
import { type PacketRecord, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { referenceStats, sortRows } from '../../unit/netmon/reference-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'netmon-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A capture of its own (not the demo's): 4 minutes, three anomalies. */
const CAPTURE: TrafficOptions = {
  seed: 4242,
  durationS: 240,
  startMs: Date.UTC(2026, 2, 3, 14, 0, 0),
  normalHosts: 30,
  packetsPerSecond: 40,
  anomalies: [
    { kind: 'port-scan', atS: 50 },
    { kind: 'dns-nxdomain', atS: 110 },
    { kind: 'syn-flood', atS: 160, durationS: 20 },
  ],
};

let labels: LabelsFile;
let file: string;
let decoded: PacketRecord[];
let fromRecords: DetectionResult;

beforeAll(async () => {
  file = join(dir, 'capture.pcap');
  labels = writeCapture(CAPTURE, file);
  decoded = [];
  for await (const batch of tsharkSource({ file }).batches(new AbortController().signal))
    decoded.push(...batch);
  fromRecords = await runDetection(decoded);
}, 120_000);

/** Rows with averages rounded, so float summation order does not matter. */
function comparable(rows: readonly SourceWindowStats[]): SourceWindowStats[] {
  return sortRows([...rows]).map((r) => ({
    ...r,
    avgResponseMs: r.avgResponseMs === undefined ? undefined : Math.round(r.avgResponseMs * 1e6) / 1e6,
  }));
}

describe('monitor on a tshark-decoded capture', () => {
  it('decodes every packet of the capture', () => {
    expect(decoded.length).toBe(labels.packets);
  });

  it('closes per-source window statistics equal to a reference computation', () => {
    const expected = referenceStats(decoded.map((r) => r.value));
    expect(expected.length).toBeGreaterThan(100);
    // the capture exercises every figure
    for (const figure of [
      'tcpSyn',
      'tcpSynAck',
      'tcpSynAckReceived',
      'dnsNxdomain',
      'distinctDstPorts',
    ] as const) {
      expect(expected.some((r) => r[figure] > 0)).toBe(true);
    }
    expect(expected.some((r) => r.avgResponseMs !== undefined)).toBe(true);
    expect(comparable(fromRecords.closedStats)).toEqual(comparable(expected));
  });

  it('raises each injected anomaly for its source, and nothing outside the labels', () => {
    for (const label of labels.labels) {
      const hit = fromRecords.alerts.find(
        (a) =>
          a.detector === label.detector &&
          a.source === label.source &&
          a.windowEnd > label.startMs &&
          a.windowStart <= label.endMs,
      );
      expect(hit, `${label.detector} for ${label.source}`).toBeDefined();
      expect(hit!.firedAt).toBeGreaterThanOrEqual(label.startMs);
    }
    const explained = (a: DetectionResult['alerts'][number]) =>
      labels.labels.some(
        (l) => l.source === a.source && (l.detector === a.detector || l.tolerated.includes(a.detector)),
      );
    expect(fromRecords.alerts.filter((a) => !explained(a))).toEqual([]);
  });

  it('gives the same result when it reads the pcap itself', async () => {
    const fromFile = await runDetection(file);
    expect(fromFile.alerts).toEqual(fromRecords.alerts);
    expect(comparable(fromFile.closedStats)).toEqual(comparable(fromRecords.closedStats));
  }, 120_000);
});
