/**
 * State survives a restart: with persistent stores, the alert gate still knows which windows it
 * alerted on, and the window statistics continue where they were.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNetworkMonitor } from '../../../examples/network-monitor/monitor/index.js';
import type { Alert } from '../../../examples/network-monitor/types.js';
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import { records, tcp } from './packets.js';

const dir = mkdtempSync(join(tmpdir(), 'netmon-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Runs the monitor with persistent stores in `stateDir` over `packets`; returns alerts and counters. */
async function run(stateDir: string, packets: Packet[]) {
  const builder = new StreamsBuilder();
  const input = builder.stream<string, Packet>('network-packets');
  const monitor = buildNetworkMonitor(builder, input, { store: 'persistent' });
  const alerts: Alert[] = [];
  monitor.alerts.forEach((_k, a) => {
    alerts.push(a);
  });
  const driver = await TopologyTestDriver.create(builder.build(), { applicationId: 'netmon', stateDir });
  const topic = driver.createInputTopic<string, Packet>('network-packets');
  for (const r of records(packets)) topic.pipeInput(r.key, r.value, r.timestamp);
  const metrics = driver.metrics();
  await driver.close();
  const duplicates = [...metrics]
    .filter(([name]) => name.endsWith('alerts.duplicate'))
    .reduce((n, [, v]) => n + v, 0);
  return { alerts, duplicates };
}

/** SYNs from one scanner to ports from..to-1, 100 ms apart from `startMs`. */
function scan(from: number, to: number, startMs: number): Packet[] {
  const out: Packet[] = [];
  for (let port = from; port < to; port++) {
    out.push(tcp(startMs + (port - from) * 100, '203.0.113.9', 50000, '10.0.0.1', port, { syn: true }));
  }
  return out;
}

describe('monitor state across a restart (persistent stores)', () => {
  it('keeps counting the same windows and does not alert twice for them', async () => {
    const stateDir = join(dir, 'a');
    const first = await run(stateDir, scan(1, 41, T0));
    expect(first.alerts.map((a) => a.detector)).toEqual(['port-scan']);
    // After the restart: ports 41..50 in the same windows. The statistics continue at 41+ distinct
    // ports, so the detector fires again for the windows already alerted on; the gate remembers them.
    const second = await run(stateDir, scan(41, 51, T0 + 4000));
    expect(second.duplicates).toBeGreaterThan(0);
    expect(second.alerts).toEqual([]);
  });

  it('alerts again after a restart without the state folder (the check above can fail)', async () => {
    await run(join(dir, 'b'), scan(1, 41, T0));
    const fresh = await run(join(dir, 'c'), scan(1, 41, T0 + 4000));
    expect(fresh.alerts.map((a) => a.detector)).toEqual(['port-scan']);
  });
});
