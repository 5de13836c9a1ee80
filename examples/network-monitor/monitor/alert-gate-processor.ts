/**
 * The alert gate as a processor: applies {@link decide} with its memory in a key-value store, so
 * deduplication and rate limits hold across restarts on Kafka (the store is changelogged).
 */
import type { Processor, ProcessorContext } from '../../../src/runtime/processor.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import type { KeyValueStore, StoreSpec } from '../../../src/state/store.js';
import type { Alert } from '../types.js';
import { decide, type GateEntry, gateKey } from './alert-gate.js';
import type { MonitorConfig } from './options.js';

/** The store spec of the gate: one entry per (detector, source) that alerted. */
export function alertGateStoreSpec(config: MonitorConfig): StoreSpec {
  return { name: `${config.name}-alert-gate`, kind: 'key-value', backend: config.store };
}

/** How often (stream time) entries past their cooldown and windows are dropped. */
const PRUNE_EVERY_MS = 600_000;

/** Lets through the alerts {@link decide} admits; counts the others (`alerts.duplicate`, `alerts.rate-limited`). */
export class AlertGateProcessor implements Processor<string, Alert> {
  private context!: ProcessorContext<string, Alert>;
  private entries!: KeyValueStore<string, GateEntry>;

  constructor(private readonly config: MonitorConfig) {}

  init(context: ProcessorContext<string, Alert>): void {
    this.context = context;
    this.entries = context.getStateStore<KeyValueStore<string, GateEntry>>(
      alertGateStoreSpec(this.config).name,
    );
    context.schedule(PRUNE_EVERY_MS, 'stream-time', (now) => this.prune(now));
  }

  process(record: StreamRecord<string, Alert>): void {
    const alert = record.value;
    const key = gateKey(alert);
    const decision = decide(this.entries.get(key), alert, this.config);
    if (!decision.pass) {
      this.context.count(`alerts.${decision.reason}`);
      return;
    }
    if (decision.next) this.entries.put(key, decision.next);
    this.context.forward(record);
  }

  /** Forgets pairs whose cooldown is over and whose alerted windows have all closed (bounded state). */
  private prune(now: number): void {
    const { sizeMs, graceMs } = this.config.window;
    const horizon = now - Math.max(this.config.alertGate.cooldownMs, sizeMs + graceMs);
    const stale: string[] = [];
    for (const { key, value } of this.entries.all()) if (value.lastFiredAt < horizon) stale.push(key);
    for (const key of stale) this.entries.delete(key);
  }
}
