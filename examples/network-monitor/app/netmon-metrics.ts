/**
 * The monitor's Prometheus metrics, in the same registry as the runtime's (on Kafka, the app's
 * `metricsRegistry` with records, lag, latency and dead letters by door): network figures per
 * protocol layer, alerts per detector, the pipeline health the snapshot carries, and the scale
 * recommendation. Updated from snapshots, so nothing here runs per packet.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MonitorSnapshot } from '../types.js';
import { recommendInstances } from './scale-recommendation.js';

/** Options of {@link NetmonMetrics}. */
export interface NetmonMetricsOptions {
  readonly registry: Registry;
  /** Partitions of the input topic (upper bound of the recommendation). */
  readonly partitions: number;
  /** Seconds a backlog should take to drain. Default 60. */
  readonly targetDrainSeconds?: number;
}

/** Registers the monitor's metrics and keeps them current from snapshots. */
export class NetmonMetrics {
  private readonly packets: Counter<'layer'>;
  private readonly bytes: Counter<'layer'>;
  private readonly packetRate: Gauge<'layer'>;
  private readonly byteRate: Gauge<'layer'>;
  private readonly alerts: Counter<'detector'>;
  private readonly recordsPerSecond: Gauge;
  private readonly lag: Gauge;
  private readonly latency: Gauge;
  private readonly deadLetters: Gauge;
  private readonly recommended: Gauge;
  private readonly seenPackets = new Map<string, number>();
  private readonly seenBytes = new Map<string, number>();
  private readonly seenAlerts = new Map<string, number>();
  /** Best processing rate seen while there was a backlog: the per-instance capacity estimate. */
  private capacity = 0;

  constructor(private readonly options: NetmonMetricsOptions) {
    const registers = [options.registry];
    this.packets = new Counter({
      name: 'netmon_packets_total',
      help: 'Packets processed, by top protocol layer',
      labelNames: ['layer'],
      registers,
    });
    this.bytes = new Counter({
      name: 'netmon_bytes_total',
      help: 'Bytes on the wire processed, by top protocol layer',
      labelNames: ['layer'],
      registers,
    });
    this.packetRate = new Gauge({
      name: 'netmon_packets_per_second',
      help: 'Packets per second of event time (last complete second), by layer',
      labelNames: ['layer'],
      registers,
    });
    this.byteRate = new Gauge({
      name: 'netmon_bytes_per_second',
      help: 'Bytes per second of event time (last complete second), by layer',
      labelNames: ['layer'],
      registers,
    });
    this.alerts = new Counter({
      name: 'netmon_alerts_total',
      help: 'Alerts raised, by detector',
      labelNames: ['detector'],
      registers,
    });
    this.recordsPerSecond = new Gauge({
      name: 'netmon_pipeline_records_per_second',
      help: 'Packets this instance processed per second of wall time',
      registers,
    });
    this.lag = new Gauge({
      name: 'netmon_pipeline_consumer_lag',
      help: 'Packets waiting in the input partitions this instance reads',
      registers,
    });
    this.latency = new Gauge({
      name: 'netmon_pipeline_process_latency_ms',
      help: 'Capture-to-processing latency of the newest packet (live capture), ms',
      registers,
    });
    this.deadLetters = new Gauge({
      name: 'netmon_pipeline_dead_letters',
      help: 'Records sent to the dead-letter topic',
      registers,
    });
    this.recommended = new Gauge({
      name: 'netmon_scale_recommended_instances',
      help: 'Processing instances that would drain this instance’s lag within the target time, clamped to [1, partitions]',
      registers,
    });
    this.recommended.set(1);
  }

  /** Brings every metric up to date with `snapshot`. */
  update(snapshot: MonitorSnapshot, bytesByLayer: Readonly<Record<string, number>>): void {
    addDeltas(this.packets, this.seenPackets, snapshot.packetsByLayer, 'layer');
    addDeltas(this.bytes, this.seenBytes, bytesByLayer, 'layer');
    addDeltas(this.alerts, this.seenAlerts, snapshot.alertsByDetector, 'detector');
    for (const rate of snapshot.rates) {
      this.packetRate.set({ layer: rate.layer }, rate.packetsPerSecond);
      this.byteRate.set({ layer: rate.layer }, rate.bytesPerSecond);
    }
    const { recordsPerSecond, consumerLag, processLatencyMs, deadLetters } = snapshot.pipeline;
    this.recordsPerSecond.set(recordsPerSecond);
    this.lag.set(consumerLag);
    this.latency.set(processLatencyMs);
    this.deadLetters.set(deadLetters);
    if (consumerLag > 0) this.capacity = Math.max(this.capacity, recordsPerSecond);
    this.recommended.set(
      recommendInstances({
        lag: consumerLag,
        perInstanceRecordsPerSecond: this.capacity,
        partitions: this.options.partitions,
        targetDrainSeconds: this.options.targetDrainSeconds,
      }),
    );
  }
}

function addDeltas<L extends string>(
  counter: Counter<L>,
  seen: Map<string, number>,
  totals: Readonly<Record<string, number | undefined>>,
  label: L,
): void {
  for (const [name, total] of Object.entries(totals)) {
    const delta = (total ?? 0) - (seen.get(name) ?? 0);
    if (delta > 0) counter.inc({ [label]: name } as Record<L, string>, delta);
    seen.set(name, total ?? 0);
  }
}
