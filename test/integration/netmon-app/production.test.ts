/**
 * Production mode on the real broker, as separate processes: two `--role process` instances share
 * the consumer group while a `--role capture` run replays a capture into network-packets. The
 * per-protocol topics must hold exactly tshark's counts, the injected port scan must reach the
 * alerts topic, both instances must have done part of the work, and SIGTERM stops them cleanly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { monitorTopics } from '../../../examples/network-monitor/app/topic-names.js';
import { E2E_CAPTURE, writeCapture } from '../../../examples/network-monitor/traffic/index.js';
import type { Alert } from '../../../examples/network-monitor/types.js';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { countsFromHierarchy, protocolHierarchy } from '../../helpers/tshark-phs.js';
import { type MonitorProcess, runMonitorCli, startMonitor, summaryOf } from './run-cli.js';

const PARTITIONS = 4;

/**
 * Reads every per-protocol topic with a read_committed consumer (what downstream users see; aborted
 * transactions stay invisible) until `total` records arrived, then a few seconds more so that any
 * duplicate would be counted too.
 */
async function committedLayerCounts(
  topics: Record<string, string>,
  total: number,
  timeoutMs: number,
): Promise<Record<string, number>> {
  const layerOf = new Map(Object.entries(topics).map(([layer, topic]) => [topic, layer]));
  const consumer = testKafka('netmon-prod-check').consumer({
    groupId: uniqueName('netmon-prod-check'),
    readUncommitted: false,
  });
  const counts: Record<string, number> = {};
  let seen = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...layerOf.keys()], fromBeginning: true });
    const deadline = Date.now() + timeoutMs;
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const layer = layerOf.get(batch.topic)!;
        counts[layer] = (counts[layer] ?? 0) + batch.messages.length;
        seen += batch.messages.length;
      },
    });
    while (seen < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 3000));
  } finally {
    await consumer.disconnect();
  }
  return Object.fromEntries(Object.entries(counts).sort(([x], [y]) => x.localeCompare(y)));
}

async function readAlerts(
  topic: string,
  until: (alerts: Alert[]) => boolean,
  timeoutMs: number,
): Promise<Alert[]> {
  const consumer = testKafka('netmon-alerts-check').consumer({ groupId: uniqueName('netmon-alerts-check') });
  const alerts: Alert[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`alerts seen: ${JSON.stringify(alerts)}`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          alerts.push(JSON.parse(message.value!.toString('utf8')) as Alert);
          if (until(alerts)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return alerts;
}

describe('network monitor in production mode (real broker, separate processes)', () => {
  const processes: MonitorProcess[] = [];
  afterAll(() => {
    for (const p of processes) p.child.kill('SIGKILL');
  });

  it('2 exactly-once process instances + a capture run: exact per-protocol topics, alerts on the alerts topic', {
    timeout: 300_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmon-prod-'));
    const pcap = join(dir, 'scan.pcap');
    // Recent capture times: topics the app creates keep the broker's time-based retention, which
    // would delete records stamped months ago (a replay of an old capture) within minutes.
    const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    const labels = writeCapture(
      { ...E2E_CAPTURE, startMs, durationS: 150, anomalies: [{ kind: 'port-scan', atS: 40 }] },
      pcap,
    );
    const scanner = labels.labels.find((l) => l.detector === 'port-scan')!.source;
    const prefix = `${uniqueName('nm')}.`;
    const topics = monitorTopics(prefix);
    const common = [
      '--brokers',
      brokers().join(','),
      '--partitions',
      String(PARTITIONS),
      '--topic-prefix',
      prefix,
      '--no-tty',
    ];
    const processArgs = [
      ...common,
      '--role',
      'process',
      '--app-id',
      `${prefix}netmon`,
      '--state-dir',
      join(dir, 'state'),
    ];
    // One after the other, so that each joins a group that is already running.
    processes.push(startMonitor(processArgs));
    await processes[0]!.waitForLine(/^progress /);
    await new Promise((r) => setTimeout(r, 5000));
    processes.push(startMonitor(processArgs));
    await processes[1]!.waitForLine(/^progress /);

    const capture = await runMonitorCli([...common, '--role', 'capture', '--pcap', pcap]);
    expect(capture.code, capture.stderr).toBe(0);
    expect(summaryOf(capture.stdout).packets).toBe(labels.packets);

    const expected = Object.fromEntries(
      [...countsFromHierarchy(protocolHierarchy(pcap), { outputs: { ...topics.layers } })]
        .filter(([, n]) => n > 0)
        .map(([topic, n]) => [Object.entries(topics.layers).find(([, t]) => t === topic)![0], n])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    const counts = await committedLayerCounts(topics.layers, labels.packets, 180_000);
    expect(counts, processes.map((p) => p.stderr().slice(-2000)).join('\n')).toEqual(expected);

    const alerts = await readAlerts(
      topics.alerts,
      (seen) => seen.some((a) => a.detector === 'port-scan' && a.source === scanner),
      120_000,
    ).catch((error: Error) => {
      const tails = processes.map((p) => `${p.stdout().slice(-1500)}\n${p.stderr().slice(-1500)}`);
      throw new Error(`${error.message}\n${tails.join('\n----\n')}`);
    });
    expect(alerts.some((a) => a.detector === 'port-scan' && a.source === scanner)).toBe(true);

    for (const p of processes) p.child.kill('SIGTERM');
    const codes = await Promise.all(processes.map((p) => p.exited));
    expect(codes, processes.map((p) => p.stderr()).join('\n')).toEqual([0, 0]);
    const summaries = processes.map((p) => summaryOf(p.stdout()));
    // The group shared the partitions: both instances processed packets, together all of them once.
    expect(summaries.every((s) => s.packets > 0)).toBe(true);
    expect(summaries[0]!.packets + summaries[1]!.packets).toBe(labels.packets);
  });
});
