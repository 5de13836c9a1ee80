/**
 * The live picture of the monitor, as MonitorSnapshot: fed by the pipeline (packets, eager window
 * statistics, alerts) and published on a timer to every reader (terminal view, metrics endpoint,
 * dashboard). Readers subscribe with `snapshots$` (rxjs) or `onSnapshot(listener)`.
 */
import { type Observable, Subject } from 'rxjs';
import type { Alert, DetectorName, MonitorSnapshot, SourceWindowStats } from '../types.js';
import { LayerCounters } from './layer-counters.js';
import { TopTalkers } from './top-talkers.js';

/** Pipeline health figures the producer cannot see itself (they come from the runtime). */
export interface PipelineProbe {
  readonly consumerLag: () => number;
  readonly deadLetters: () => number;
}

/** Options of {@link SnapshotProducer}. */
export interface SnapshotProducerOptions {
  readonly windowMs: number;
  readonly advanceMs: number;
  /** Top talkers kept in a snapshot. Default 10. */
  readonly topN?: number;
  /** Packets in the capture, when known (pcap replay). */
  readonly packetsTotal?: number | undefined;
  readonly pipeline?: PipelineProbe;
  /** Wall clock (ms). Default Date.now. */
  readonly clock?: () => number;
}

const MAX_RECENT_ALERTS = 100;

/** Collects what the pipeline sees and publishes snapshots of it. */
export class SnapshotProducer {
  /** Every published snapshot; completes when the producer stops. */
  readonly snapshots$: Observable<MonitorSnapshot>;
  private readonly subject = new Subject<MonitorSnapshot>();
  private readonly layers = new LayerCounters();
  private readonly talkers: TopTalkers;
  private readonly recentAlerts: Alert[] = [];
  private readonly alertCounts: Partial<Record<DetectorName, number>> = {};
  private readonly clock: () => number;
  private streamTime = 0;
  private packetsTotal: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Wall time and packet count of the previous snapshot, for the processing rate. */
  private lastTick = { at: 0, packets: 0, rate: 0 };
  private latencyMs = 0;
  private latest: MonitorSnapshot | undefined;

  constructor(private readonly options: SnapshotProducerOptions) {
    this.talkers = new TopTalkers(options.windowMs, options.advanceMs);
    this.clock = options.clock ?? Date.now;
    this.packetsTotal = options.packetsTotal;
    this.snapshots$ = this.subject.asObservable();
    this.lastTick.at = this.clock();
  }

  /** Counts one packet (hot path: a few field updates). */
  observePacket(layer: string, bytes: number, timestamp: number): void {
    this.layers.add(layer, bytes, timestamp);
    if (timestamp > this.streamTime) this.streamTime = timestamp;
  }

  /** Keeps the newest eager statistics of a (source, window). */
  observeStats(stats: SourceWindowStats): void {
    this.talkers.add(stats);
  }

  /** Records an alert that fired. */
  observeAlert(alert: Alert): void {
    this.recentAlerts.unshift(alert);
    if (this.recentAlerts.length > MAX_RECENT_ALERTS) this.recentAlerts.pop();
    this.alertCounts[alert.detector] = (this.alertCounts[alert.detector] ?? 0) + 1;
  }

  /** Sets the capture's packet count once it is known. */
  setPacketsTotal(total: number | undefined): void {
    this.packetsTotal = total;
  }

  /** Sets the latest capture-to-processing latency (live capture), in ms. */
  setProcessLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Calls `listener` with every published snapshot; returns a function that stops it. */
  onSnapshot(listener: (snapshot: MonitorSnapshot) => void): () => void {
    const subscription = this.subject.subscribe(listener);
    return () => subscription.unsubscribe();
  }

  /** Publishes a snapshot every `intervalMs` (default 250 ms: at most 4 redraws a second). */
  start(intervalMs = 250): void {
    this.timer ??= setInterval(() => this.publish(), intervalMs);
  }

  /** Publishes a last snapshot and completes `snapshots$`. */
  stop(): MonitorSnapshot {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const last = this.publish();
    this.subject.complete();
    return last;
  }

  /** The most recent snapshot (computed now if none was published yet). */
  current(): MonitorSnapshot {
    return this.latest ?? this.snapshot();
  }

  /** Computes and publishes a snapshot now. */
  publish(): MonitorSnapshot {
    const snapshot = this.snapshot();
    this.latest = snapshot;
    this.subject.next(snapshot);
    return snapshot;
  }

  /** Computes a snapshot of the figures so far (does not publish it). */
  snapshot(): MonitorSnapshot {
    const now = this.clock();
    const packetsRead = this.layers.total;
    const elapsed = now - this.lastTick.at;
    if (elapsed >= 200) {
      this.lastTick = {
        at: now,
        packets: packetsRead,
        rate: ((packetsRead - this.lastTick.packets) * 1000) / elapsed,
      };
    }
    const probe = this.options.pipeline;
    return {
      streamTime: this.streamTime,
      packetsRead,
      packetsTotal: this.packetsTotal,
      packetsByLayer: this.layers.packetsByLayer(),
      rates: this.layers.rates(),
      topTalkers: this.talkers.top(this.options.topN ?? 10, this.streamTime),
      recentAlerts: [...this.recentAlerts],
      alertsByDetector: { ...this.alertCounts },
      pipeline: {
        recordsPerSecond: Math.round(this.lastTick.rate),
        consumerLag: probe?.consumerLag() ?? 0,
        processLatencyMs: this.latencyMs,
        deadLetters: probe?.deadLetters() ?? 0,
      },
    };
  }

  /** Every source's latest figures in the current window (the dashboard's per-source search). */
  currentWindowStats(): SourceWindowStats[] {
    return this.talkers.current(this.streamTime);
  }

  /** Bytes per layer since the start (for the metrics endpoint's byte counters). */
  bytesByLayer(): Record<string, number> {
    return this.layers.bytesByLayer();
  }
}
