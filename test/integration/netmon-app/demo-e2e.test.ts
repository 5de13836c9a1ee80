/**
 * The monitor end to end, spawned as a user runs it (`--no-tty`): the bundled demo capture, a second
 * generated capture the demo never sees, and normal-only traffic. Per-protocol counts must equal
 * tshark's own statistics for the file; every labelled anomaly must raise an alert of its detector
 * for its source in an overlapping window (read back from the DuckDB store), and normal-only traffic
 * raises no alert at all; on the demo, no alert outside the labels either. (Precision over more
 * traffic is bench/detect's to measure.)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_PCAP } from '../../../examples/network-monitor/app/cli-options.js';
import {
  E2E_CAPTURE,
  type LabelsFile,
  normalOnly,
  type TrafficLabel,
  writeCapture,
} from '../../../examples/network-monitor/traffic/index.js';
import { countsFromHierarchy, protocolHierarchy } from '../../helpers/tshark-phs.js';
import { readMonitorTables, type StoredAlert } from './duckdb-read.js';
import { runMonitorCli, summaryOf } from './run-cli.js';

const LAYERS = {
  dns: 'dns',
  http: 'http',
  tls: 'tls',
  tcp: 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  arp: 'arp',
  other: 'other',
};
const DEMO_LABELS = fileURLToPath(
  new URL('../../../examples/network-monitor/data/demo.labels.json', import.meta.url),
);

/** tshark's per-layer counts for `pcap`, without zero entries. */
function tsharkCounts(pcap: string): Record<string, number> {
  const counts = countsFromHierarchy(protocolHierarchy(pcap), { outputs: LAYERS });
  return Object.fromEntries([...counts].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
}

function overlaps(alert: StoredAlert, label: TrafficLabel): boolean {
  return alert.windowStartMs <= label.endMs && alert.windowEndMs > label.startMs;
}

/** Runs the monitor on `args`, checks counts against tshark, and returns the stored alerts. */
async function runAndCheckCounts(pcap: string, args: string[], duckdb: string) {
  const { code, stdout, stderr } = await runMonitorCli([...args, '--no-tty', '--duckdb', duckdb]);
  expect(code, stderr).toBe(0);
  const summary = summaryOf(stdout);
  expect(summary.packetsByLayer).toEqual(tsharkCounts(pcap));
  expect(summary.packets).toBe(Object.values(summary.packetsByLayer).reduce((a, b) => a + b, 0));
  expect(summary.duckdb).toBe(duckdb);
  const tables = await readMonitorTables(duckdb);
  expect(tables.alerts).toHaveLength(summary.alerts);
  expect(tables.statsRows).toBeGreaterThan(0);
  expect(Object.values(summary.alertsByDetector).reduce((a, b) => a + b, 0)).toBe(summary.alerts);
  return { summary, alerts: tables.alerts };
}

function expectLabelsDetected(alerts: StoredAlert[], labels: readonly TrafficLabel[]): void {
  for (const label of labels) {
    const hit = alerts.some(
      (a) => a.detector === label.detector && a.srcIp === label.source && overlaps(a, label),
    );
    expect(hit, `no ${label.detector} alert for ${label.source} (${label.anomaly})`).toBe(true);
  }
}

/** Every alert is one a label asks for or tolerates (same source, overlapping window). */
function expectNoUnlabelledAlert(alerts: StoredAlert[], labels: readonly TrafficLabel[]): void {
  const unlabelled = alerts.filter(
    (a) =>
      !labels.some(
        (l) =>
          l.source === a.srcIp &&
          overlaps(a, l) &&
          (l.detector === a.detector || (l.tolerated as readonly string[]).includes(a.detector)),
      ),
  );
  expect(unlabelled.map((a) => `${a.detector} ${a.srcIp}`)).toEqual([]);
}

describe('network monitor end to end (embedded, DuckDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netmon-e2e-'));

  it('--demo: counts equal tshark statistics and every labelled anomaly alerts', {
    timeout: 240_000,
  }, async () => {
    const labels = JSON.parse(readFileSync(DEMO_LABELS, 'utf8')) as LabelsFile;
    const { summary, alerts } = await runAndCheckCounts(DEMO_PCAP, ['--demo'], join(dir, 'demo.duckdb'));
    expect(summary.packets).toBe(labels.packets);
    expectLabelsDetected(alerts, labels.labels);
    // No false alert on the demo (a young traffic-spike baseline once flagged the ordinary 10.1.0.66).
    expectNoUnlabelledAlert(alerts, labels.labels);
  });

  it('a second generated capture the demo never sees', { timeout: 240_000 }, async () => {
    const pcap = join(dir, 'e2e.pcap');
    const labels = writeCapture(E2E_CAPTURE, pcap);
    const { summary, alerts } = await runAndCheckCounts(pcap, ['--pcap', pcap], join(dir, 'e2e.duckdb'));
    expect(summary.packets).toBe(labels.packets);
    expectLabelsDetected(alerts, labels.labels);
  });

  it('normal-only traffic raises no alert', { timeout: 240_000 }, async () => {
    const pcap = join(dir, 'normal.pcap');
    const labels = writeCapture(normalOnly(E2E_CAPTURE), pcap);
    expect(labels.labels).toEqual([]);
    const { summary } = await runAndCheckCounts(pcap, ['--pcap', pcap], join(dir, 'normal.duckdb'));
    expect(summary.packets).toBe(labels.packets);
    expect(summary.alertsByDetector).toEqual({});
    expect(summary.alerts).toBe(0);
  });
});
