/**
 * The monitoring topology: per-host statistics in hopping windows (eager and final), detectors with
 * adaptive baselines, and the alert gate.
 *
 *   packets ─flatMap(host observations)─▶ groupByKey (repartition by host) ─▶ hopping aggregate
 *     ─▶ stats (eager rows) ─┬─▶ closed-windows step ─▶ closedStats (one row per source and window)
 *                            └─▶ detection (+ baselines from closedStats) ─▶ alert gate ─▶ alerts
 */
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import type { KStream } from '../../../src/dsl/kstream.js';
import type { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { Alert, SourceWindowStats } from '../types.js';
import { AlertGateProcessor, alertGateStoreSpec } from './alert-gate-processor.js';
import { ClosedWindowsProcessor, closedWindowsStoreSpec } from './closed-windows.js';
import { baselineStoreSpec, DetectionProcessor, type WindowEvent } from './detection-processor.js';
import { hostObservations } from './host-observation.js';
import type { MonitorConfig, MonitorOptions } from './options.js';
import { resolveMonitorOptions } from './resolve-options.js';
import { hostWindowAggregator, toSourceWindowStats } from './window-stats.js';

/** The monitor's output streams, keyed by source (IP, or MAC for frames without IP). */
export interface NetworkMonitorStreams {
  /** Every update of a (source, window)'s statistics, as soon as a packet changes them. */
  readonly stats: KStream<string, SourceWindowStats>;
  /** One final row per (source, window), when the window closes (end + grace). */
  readonly closedStats: KStream<string, SourceWindowStats>;
  /** Alerts after deduplication and rate limiting. */
  readonly alerts: KStream<string, Alert>;
  /** The resolved options the topology was built with. */
  readonly config: MonitorConfig;
}

/**
 * Adds the monitoring topology for `packets` (keyed by source, as tsharkSource keys them) to
 * `builder`, and its three state stores: open windows, baselines and the alert gate, named after
 * `options.name` (default "netmon").
 */
export function buildNetworkMonitor(
  builder: StreamsBuilder,
  packets: KStream<string, Packet>,
  options: MonitorOptions = {},
): NetworkMonitorStreams {
  const config = resolveMonitorOptions(options);
  const { sizeMs, advanceMs, graceMs } = config.window;
  const name = config.name;
  const closedSpec = closedWindowsStoreSpec(config);
  const baselineSpec = baselineStoreSpec(config);
  const gateSpec = alertGateStoreSpec(config);
  builder.addStateStore(closedSpec).addStateStore(baselineSpec).addStateStore(gateSpec);

  const stats = packets
    .flatMap((_source, packet) => hostObservations(packet))
    .groupByKey()
    .windowedBy(windows.hopping({ size: sizeMs, advance: advanceMs, grace: graceMs }))
    .emit('eager')
    .aggregate(hostWindowAggregator(), { name: `${name}-window-stats`, store: config.store })
    .toStream()
    .map((window, figures) => ({ key: window.key, value: toSourceWindowStats(window, figures) }));

  const closedStats = stats.process<string, SourceWindowStats>(
    () => new ClosedWindowsProcessor(config),
    closedSpec.name,
  );
  const events = stats
    .mapValues((s): WindowEvent => ({ phase: 'open', stats: s }))
    .merge(closedStats.mapValues((s): WindowEvent => ({ phase: 'closed', stats: s })));
  const alerts = events
    .process<string, Alert>(() => new DetectionProcessor(config), baselineSpec.name)
    .process<string, Alert>(() => new AlertGateProcessor(config), gateSpec.name);
  return { stats, closedStats, alerts, config };
}
