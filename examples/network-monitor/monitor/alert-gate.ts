/**
 * The alert gate's rule, as a pure function: deduplicate per (detector, source, window) and
 * rate-limit per (source, detector) to one alert per cooldown of event time, letting a severity
 * escalation through.
 */
import type { Alert, Severity } from '../types.js';
import type { MonitorConfig } from './options.js';

/** What the gate remembers about one (detector, source) pair (plain data, kept in a store). */
export interface GateEntry {
  /** Event time of the last alert let through. */
  readonly lastFiredAt: number;
  /** Its severity. */
  readonly lastSeverity: Severity;
  /** Starts of the windows already alerted on that may still be updated (bounded by windows per size). */
  readonly windowStarts: readonly number[];
}

/** The gate's decision and what to remember afterwards (`next` is undefined when nothing changes). */
export interface GateDecision {
  readonly pass: boolean;
  readonly reason: 'new' | 'escalation' | 'duplicate' | 'rate-limited';
  readonly next: GateEntry | undefined;
}

const rank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The store key of an alert's (detector, source) pair. */
export function gateKey(alert: Pick<Alert, 'detector' | 'source'>): string {
  return `${alert.detector}|${alert.source}`;
}

/** Whether `alert` passes, given what the gate remembers about its (detector, source) pair. */
export function decide(entry: GateEntry | undefined, alert: Alert, config: MonitorConfig): GateDecision {
  const escalation = entry !== undefined && rank[alert.severity] > rank[entry.lastSeverity];
  if (entry?.windowStarts.includes(alert.windowStart) && !escalation) {
    return { pass: false, reason: 'duplicate', next: undefined };
  }
  const cooling = entry !== undefined && alert.firedAt - entry.lastFiredAt < config.alertGate.cooldownMs;
  if (cooling && !escalation) return { pass: false, reason: 'rate-limited', next: undefined };
  // Windows that closed can get no more updates: forget them, so the list stays bounded.
  const { sizeMs, graceMs } = config.window;
  const openFrom = alert.firedAt - sizeMs - graceMs;
  const kept = (entry?.windowStarts ?? []).filter(
    (start) => start >= openFrom && start !== alert.windowStart,
  );
  kept.push(alert.windowStart);
  return {
    pass: true,
    reason: escalation ? 'escalation' : 'new',
    next: { lastFiredAt: alert.firedAt, lastSeverity: alert.severity, windowStarts: kept },
  };
}
