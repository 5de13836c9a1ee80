/**
 * Runs the detectors on every eager statistics row and keeps each source's adaptive baseline up to
 * date from its closed windows, in a key-value store (changelogged on Kafka, so baselines survive
 * restarts and follow their partitions).
 */
import type { Processor, ProcessorContext } from '../../../src/runtime/processor.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import type { KeyValueStore, StoreSpec } from '../../../src/state/store.js';
import type { Alert, SourceWindowStats } from '../types.js';
import { type Baseline, learnWindow, newBaseline } from './baseline.js';
import { detectors } from './detectors/index.js';
import type { MonitorConfig } from './options.js';

/** A statistics row with where it comes from: an eager update of an open window, or a closed window. */
export interface WindowEvent {
  readonly phase: 'open' | 'closed';
  readonly stats: SourceWindowStats;
}

/** The store spec of the baselines: one entry per source. */
export function baselineStoreSpec(config: MonitorConfig): StoreSpec {
  return { name: `${config.name}-baselines`, kind: 'key-value', backend: config.store };
}

const detectorList = Object.values(detectors);
/** How often (stream time) baselines of sources gone quiet are forgotten. */
const FORGET_EVERY_MS = 3_600_000;

/** Open rows → candidate alerts (before the gate); closed rows → baseline updates. */
export class DetectionProcessor implements Processor<string, WindowEvent, string, Alert> {
  private context!: ProcessorContext<string, Alert>;
  private baselines!: KeyValueStore<string, Baseline>;

  constructor(private readonly config: MonitorConfig) {}

  init(context: ProcessorContext<string, Alert>): void {
    this.context = context;
    this.baselines = context.getStateStore<KeyValueStore<string, Baseline>>(
      baselineStoreSpec(this.config).name,
    );
    context.schedule(FORGET_EVERY_MS, 'stream-time', (now) => this.forgetQuiet(now));
  }

  process(record: StreamRecord<string, WindowEvent>): void {
    const { phase, stats } = record.value;
    let baseline = this.baselines.get(stats.source);
    if (phase === 'closed') {
      this.baselines.put(stats.source, learnWindow(baseline, stats, this.config));
      return;
    }
    if (baseline === undefined) {
      // The source's first packet: remember when, to judge how much of its first windows it covered.
      baseline = newBaseline(record.timestamp);
      this.baselines.put(stats.source, baseline);
    }
    for (let i = 0; i < detectorList.length; i++) {
      const alert = detectorList[i]!(stats, baseline, this.config, record.timestamp);
      if (alert) this.context.forward({ key: alert.source, value: alert, timestamp: record.timestamp });
    }
  }

  /** Drops the baselines of sources without a closed window for `trafficSpike.forgetAfter` (bounded state). */
  private forgetQuiet(now: number): void {
    const horizon = now - this.config.trafficSpike.forgetAfterMs;
    const stale: string[] = [];
    for (const { key, value } of this.baselines.all()) {
      if (Math.max(value.lastWindowStart, value.firstSeenAt) < horizon) stale.push(key);
    }
    for (const key of stale) this.baselines.delete(key);
  }
}
