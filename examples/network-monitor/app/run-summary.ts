/**
 * What a run ends with: one summary object, printed as ONE JSON line in plain mode (for logs and
 * CI) or as a short text block after the live view.
 */
import type { DetectorName, MonitorSnapshot } from '../types.js';
import { formatCount, formatElapsed } from './format.js';

/** The summary of a run. */
export interface RunSummary {
  /** Packets this process read (capture role) or processed. */
  readonly packets: number;
  /** Packets per top layer (the per-protocol topics' counts). */
  readonly packetsByLayer: Readonly<Record<string, number>>;
  readonly alertsByDetector: Readonly<Partial<Record<DetectorName, number>>>;
  /** Alerts raised in total. */
  readonly alerts: number;
  /** The DuckDB file with the windowed stats and alerts, when one was written. */
  readonly duckdb: string | null;
  readonly durationMs: number;
}

/** The summary of the run that ended with `snapshot`. */
export function summarize(
  snapshot: MonitorSnapshot,
  duckdb: string | undefined,
  durationMs: number,
): RunSummary {
  const alerts = Object.values(snapshot.alertsByDetector).reduce((a, b) => a + (b ?? 0), 0);
  return {
    packets: snapshot.packetsRead,
    packetsByLayer: sortedByKey(snapshot.packetsByLayer),
    alertsByDetector: sortedByKey(snapshot.alertsByDetector),
    alerts,
    duckdb: duckdb ?? null,
    durationMs: Math.round(durationMs),
  };
}

/** The summary as text for a terminal. */
export function summaryText(summary: RunSummary): string {
  const layers = Object.entries(summary.packetsByLayer)
    .map(([layer, n]) => `${layer} ${formatCount(n)}`)
    .join(', ');
  const detectors = Object.entries(summary.alertsByDetector)
    .map(([detector, n]) => `${detector} ${n}`)
    .join(', ');
  const lines = [
    `Done in ${formatElapsed(summary.durationMs)}: ${formatCount(summary.packets)} packets (${layers || 'none'}).`,
    `Alerts: ${summary.alerts}${detectors ? ` (${detectors})` : ''}.`,
  ];
  if (summary.duckdb) {
    lines.push(
      `Windowed stats and alerts are in ${summary.duckdb} (tables PacketStats, Alerts), e.g.:`,
      `  duckdb ${summary.duckdb} "SELECT detector, srcIp, windowStart, summary FROM Alerts ORDER BY time"`,
    );
  }
  return lines.join('\n');
}

function sortedByKey<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
