/**
 * Runs the monitoring topology over a finite input (records or a pcap file) and returns what it
 * raised: for tests, the detection bench and offline analysis of a capture.
 */
import { type Packet, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import type { Alert, SourceWindowStats } from '../types.js';
import { buildNetworkMonitor } from './build-monitor.js';
import type { MonitorOptions } from './options.js';

/** What {@link runDetection} returns. */
export interface DetectionResult {
  /** Alerts after the gate, in the order they fired. */
  readonly alerts: Alert[];
  /** One row per (source, window), windows still open at the end of the input included. */
  readonly closedStats: SourceWindowStats[];
}

/** Options of {@link runDetection}: the monitor's, plus a callback for alerts as they fire. */
export interface RunDetectionOptions extends MonitorOptions {
  /** Called for each alert as it passes the gate (the result has them all too). */
  readonly onAlert?: (alert: Alert) => void;
}

const INPUT_TOPIC = 'network-packets';

/**
 * Runs the monitor on `input` synchronously in process (TopologyTestDriver: same operators and
 * stores as a StreamsApp, without a log in between). `input` is either packet records keyed by
 * source, in capture order, or the path of a pcap/pcapng file that tshark replays. When the input
 * ends, the windows still open are closed as if the traffic had stopped, so `closedStats` covers the
 * whole input.
 */
export async function runDetection(
  input: Iterable<StreamRecord<string, Packet>> | string,
  options: RunDetectionOptions = {},
): Promise<DetectionResult> {
  const builder = new StreamsBuilder();
  const packets = builder.stream<string, Packet>(INPUT_TOPIC);
  const monitor = buildNetworkMonitor(builder, packets, options);
  const alerts: Alert[] = [];
  const closedStats: SourceWindowStats[] = [];
  monitor.alerts.forEach((_source, alert) => {
    alerts.push(alert);
    options.onAlert?.(alert);
  });
  monitor.closedStats.forEach((_source, stats) => {
    closedStats.push(stats);
  });

  const driver = await TopologyTestDriver.create(builder.build(), { applicationId: monitor.config.name });
  try {
    const topic = driver.createInputTopic<string, Packet>(INPUT_TOPIC);
    if (typeof input === 'string') {
      const source = tsharkSource({ file: input });
      for await (const batch of source.batches(new AbortController().signal)) {
        for (const r of batch) topic.pipeInput(r.key, r.value, r.timestamp);
      }
    } else {
      for (const r of input) topic.pipeInput(r.key, r.value, r.timestamp);
    }
    // The input is all there is: every window still open is final now.
    driver.endOfInput();
  } finally {
    await driver.close();
  }
  return { alerts, closedStats };
}
