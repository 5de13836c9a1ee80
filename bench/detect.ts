/**
 * Detection quality of the network monitor (issue 7): generated labelled traffic over several seeds,
 * rates and anomaly mixes, each capture replayed through real tshark into the monitor
 * (`runDetection`), alerts scored against the ground truth per detector: precision, recall,
 * false-positive rate over (source, window) pairs, and alert latency from each label's start.
 *
 *   npm run bench -- detect                 all runs
 *   BENCH_DETECT_RUNS=2 npm run bench -- detect   the first two runs only
 *
 * Goals: fpr ≤ 1 %, recall ≥ 99 %, latency p99 ≤ 2 s. Ends with one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDetection } from '../examples/network-monitor/monitor/index.js';
import {
  type DetectorScore,
  E2E_CAPTURE,
  percentile,
  quality,
  scoreDetector,
  sumScores,
  type TrafficOptions,
  writeCapture,
} from '../examples/network-monitor/traffic/index.js';
import type { DetectorName } from '../examples/network-monitor/types.js';
import { printJsonLine, printTable, type TableRow } from './harness/index.js';

const DETECTORS: DetectorName[] = [
  'packet-rate',
  'slow-response',
  'port-scan',
  'syn-flood',
  'dns-nxdomain',
  'traffic-spike',
];
const START_MS = Date.UTC(2026, 2, 2, 14, 0, 0);

/** The runs: seeds, rates and mixes differ; the last one is normal traffic only (false positives alone). */
const RUNS: ReadonlyArray<{ name: string; options: TrafficOptions }> = [
  {
    name: 'all six, 60 pkt/s',
    options: {
      seed: 101,
      durationS: 420,
      startMs: START_MS,
      normalHosts: 50,
      packetsPerSecond: 60,
      anomalies: [
        { kind: 'port-scan', atS: 60 },
        { kind: 'dns-nxdomain', atS: 110 },
        { kind: 'syn-flood', atS: 160 },
        { kind: 'slow-response', atS: 210 },
        { kind: 'packet-rate', atS: 250 },
        { kind: 'traffic-spike', atS: 320, durationS: 100 },
      ],
    },
  },
  {
    name: 'the e2e mix, 110 pkt/s',
    options: {
      ...E2E_CAPTURE,
      seed: 202,
      startMs: START_MS + 3_600_000,
      normalHosts: 90,
      packetsPerSecond: 110,
    },
  },
  {
    name: 'doubled and faint, 150 pkt/s',
    options: {
      seed: 303,
      durationS: 480,
      startMs: START_MS + 7_200_000,
      normalHosts: 120,
      packetsPerSecond: 150,
      anomalies: [
        { kind: 'port-scan', atS: 40, durationS: 60, intensity: 0.3 },
        { kind: 'dns-nxdomain', atS: 70, durationS: 60, intensity: 0.2 },
        { kind: 'syn-flood', atS: 120 },
        { kind: 'port-scan', atS: 200 },
        { kind: 'dns-nxdomain', atS: 240 },
        { kind: 'slow-response', atS: 270, durationS: 40, intensity: 0.5 },
        { kind: 'packet-rate', atS: 300, intensity: 0.7 },
        { kind: 'traffic-spike', atS: 330, intensity: 0.67 },
        { kind: 'traffic-spike', atS: 360 },
      ],
    },
  },
  {
    name: 'normal only, 100 pkt/s',
    options: {
      seed: 404,
      durationS: 420,
      startMs: START_MS + 10_800_000,
      normalHosts: 80,
      packetsPerSecond: 100,
      anomalies: [],
    },
  },
];

const round = (value: number | undefined, digits = 4) =>
  value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(2)} %`);
const seconds = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));

async function main(): Promise<void> {
  const limit = Number(process.env.BENCH_DETECT_RUNS ?? RUNS.length);
  const runs = RUNS.slice(0, Math.max(1, Math.min(RUNS.length, limit)));
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-detect-'));
  const perDetector = new Map<DetectorName, DetectorScore[]>(DETECTORS.map((d) => [d, []]));
  const runRows: TableRow[] = [];
  const loadBefore = loadavg();
  let packets = 0;
  try {
    for (const [i, run] of runs.entries()) {
      const file = join(dir, `run-${i}.pcap`);
      const written = writeCapture(run.options, file);
      const started = process.hrtime.bigint();
      const result = await runDetection(file);
      const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
      packets += written.packets;
      let falsePositives = 0;
      for (const detector of DETECTORS) {
        const score = scoreDetector(detector, written.labels, result.alerts, result.closedStats);
        perDetector.get(detector)!.push(score);
        falsePositives += score.falsePositives;
      }
      runRows.push({
        run: run.name,
        seed: run.options.seed,
        packets: written.packets,
        labels: written.labels.length,
        alerts: result.alerts.length,
        'false alerts': falsePositives,
        'replay+detect s': Math.round(elapsedS * 10) / 10,
        load1: Math.round(loadavg()[0]! * 100) / 100,
      });
      console.error(`detect: run ${i + 1}/${runs.length} (${run.name}) done in ${elapsedS.toFixed(1)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  printTable(`detect: ${runs.length} runs (tshark replay + runDetection, default monitor options)`, runRows);
  const figures: Record<string, unknown> = { bench: 'detect' };
  const rows: TableRow[] = [];
  for (const detector of DETECTORS) {
    const total = sumScores(perDetector.get(detector)!);
    const q = quality(total);
    rows.push({
      detector,
      labels: total.labels,
      detected: total.detected,
      'true alerts': total.truePositives,
      'false alerts': total.falsePositives,
      'negative pairs': total.negativePairs,
      precision: percent(q.precision),
      recall: percent(q.recall),
      fpr: percent(q.fpr),
      'latency p50 s': seconds(percentile(total.latenciesS, 50)),
      'latency p99 s': seconds(q.alert_latency_p99_s),
    });
    figures[detector] = {
      precision: round(q.precision),
      recall: round(q.recall),
      fpr: round(q.fpr, 6),
      alert_latency_p99_s: round(q.alert_latency_p99_s, 3),
      labels: total.labels,
      false_alerts: total.falsePositives,
    };
  }
  printTable('detection quality per detector (goals: fpr <= 1 %, recall >= 99 %, latency p99 <= 2 s)', rows);
  for (const detector of DETECTORS) {
    for (const miss of sumScores(perDetector.get(detector)!).missed) {
      const at = new Date(miss.startMs).toISOString();
      console.log(
        `missed: ${detector} for ${miss.source} (${miss.anomaly}) from ${at}, ${(miss.endMs - miss.startMs) / 1000} s`,
      );
    }
  }
  console.log(
    'latency: event time from the label start (first anomalous packet; for packet-rate the packet that crosses 1000 in a window) to the first matching alert.',
  );
  figures.runs = runs.length;
  figures.packets = packets;
  figures.loadavg_before = loadBefore.map((n) => Math.round(n * 100) / 100);
  figures.loadavg_after = loadavg().map((n) => Math.round(n * 100) / 100);
  printJsonLine(figures);
}

main().catch((error: Error) => {
  console.error(`bench detect: ${error.stack ?? error.message}`);
  process.exit(1);
});
