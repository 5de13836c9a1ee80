/**
 * The detector contract and the one way alerts are made, so every detector's alert has the same
 * identity, window and shape.
 */
import type { Alert, DetectorName, Severity, SourceWindowStats } from '../../types.js';
import type { Baseline } from '../baseline.js';
import type { MonitorConfig } from '../options.js';

/**
 * A detector: a pure function of one source's window statistics (its newest eager row), the
 * source's baseline (when it has one), the monitor's configuration and the event time of the row;
 * returns an alert when its condition holds, else undefined.
 */
export type Detector = (
  stats: SourceWindowStats,
  baseline: Baseline | undefined,
  config: MonitorConfig,
  at: number,
) => Alert | undefined;

/** What a detector found; {@link makeAlert} adds the identity and the window. */
export interface Finding {
  readonly severity: Severity;
  readonly summary: string;
  readonly evidence: Readonly<Record<string, number | string>>;
}

/** The alert of `detector` about `stats`' source and window, fired at event time `at`. */
export function makeAlert(
  detector: DetectorName,
  stats: SourceWindowStats,
  at: number,
  finding: Finding,
): Alert {
  return {
    id: `${detector}:${stats.source}:${stats.windowStart}`,
    detector,
    severity: finding.severity,
    source: stats.source,
    windowStart: stats.windowStart,
    windowEnd: stats.windowEnd,
    firedAt: at,
    summary: finding.summary,
    evidence: finding.evidence,
  };
}

/** A window as text for summaries: "12:05:00–12:10:00 UTC". */
export function windowText(stats: SourceWindowStats): string {
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  return `${time(stats.windowStart)}–${time(stats.windowEnd)} UTC`;
}
