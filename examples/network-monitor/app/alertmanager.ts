/**
 * Alerts in the shape Alertmanager's API v2 accepts (`POST /api/v2/alerts`: a JSON array of
 * postable alerts). Labels identify an alert (Alertmanager deduplicates on them), annotations
 * carry the human text and the evidence, as strings.
 */
import type { Alert } from '../types.js';

/** One postable alert of Alertmanager's API v2. */
export interface AlertmanagerAlert {
  readonly labels: {
    readonly alertname: string;
    readonly severity: string;
    readonly source: string;
    readonly detector: string;
  };
  readonly annotations: Readonly<Record<string, string>>;
  /** RFC 3339. */
  readonly startsAt: string;
  /** RFC 3339: the end of the window the alert is about. */
  readonly endsAt: string;
  readonly generatorURL: string;
}

/** Where alerts link back to (the monitor has no UI of its own at a fixed address). */
export const DEFAULT_GENERATOR_URL =
  'https://github.com/tributary/tributary/blob/main/docs/network-monitor.md';

/** The Alertmanager name of a detector's alerts: "NetmonPortScan" for "port-scan". */
export function alertName(detector: string): string {
  return `Netmon${detector
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
}

/** Maps one monitor alert onto Alertmanager's postable alert. */
export function toAlertmanager(alert: Alert, generatorURL = DEFAULT_GENERATOR_URL): AlertmanagerAlert {
  const annotations: Record<string, string> = {
    summary: alert.summary,
    windowStart: new Date(alert.windowStart).toISOString(),
    windowEnd: new Date(alert.windowEnd).toISOString(),
    firedAt: new Date(alert.firedAt).toISOString(),
  };
  for (const [name, value] of Object.entries(alert.evidence)) annotations[`evidence_${name}`] = String(value);
  return {
    labels: {
      alertname: alertName(alert.detector),
      severity: alert.severity,
      source: alert.source,
      detector: alert.detector,
    },
    annotations,
    startsAt: new Date(alert.firedAt).toISOString(),
    endsAt: new Date(alert.windowEnd).toISOString(),
    generatorURL,
  };
}
