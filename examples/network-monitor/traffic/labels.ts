/**
 * Ground truth of generated traffic: which detectors are expected to fire for which source and
 * interval. The static thresholds and default windows of the source write-up live here too, because
 * the generator uses them to say when a static threshold is first crossed.
 */
import type { DetectorName } from '../types.js';

/** The anomalies the generator can inject. */
export type AnomalyKind =
  | 'port-scan'
  | 'syn-flood'
  | 'dns-nxdomain'
  | 'traffic-spike'
  | 'slow-response'
  | 'packet-rate';

/**
 * One expected detection: `detector` should raise at least one alert about `source` for a window
 * overlapping [startMs, endMs]. One injected anomaly can yield several labels (a SYN flood is also
 * more than 1000 packets a window); they share `anomaly` and `source`.
 */
export interface TrafficLabel {
  /** The injected anomaly this label belongs to. */
  readonly anomaly: AnomalyKind;
  /** The detector expected to fire. */
  readonly detector: DetectorName;
  /** The source IP the alert must name. */
  readonly source: string;
  /** Event time (epoch ms) from which the condition holds: the first anomalous packet, or for a static threshold the packet that crosses it (with the default windows). */
  readonly startMs: number;
  /** Event time (epoch ms) of the anomaly's last packet. */
  readonly endMs: number;
  /**
   * Other detectors that may also fire for this source and interval without being false positives
   * (a port scan's SYNs get no SYN-ACK, so a SYN-flood alert on it is defensible; a brand-new noisy
   * source has no baseline, so a traffic-spike alert is too). Neither expected nor counted against.
   */
  readonly tolerated: readonly DetectorName[];
}

/** The source write-up's static threshold: packets from one source per window. */
export const PACKET_RATE_THRESHOLD = 1000;
/** The source write-up's static threshold: average response time per window, ms. */
export const SLOW_RESPONSE_THRESHOLD_MS = 5000;
/** The monitor's default hopping windows: size and advance, ms (windows start at multiples of the advance). */
export const DEFAULT_WINDOW = { sizeMs: 5 * 60_000, advanceMs: 60_000 } as const;

/**
 * The capture time (µs) of the packet at which some hopping window first holds more than
 * `threshold` of `timesMicros` (sorted), or undefined when none does.
 */
export function firstWindowCrossing(
  timesMicros: readonly number[],
  threshold: number,
  window: { sizeMs: number; advanceMs: number } = DEFAULT_WINDOW,
): number | undefined {
  const counts = new Map<number, number>();
  for (const micros of timesMicros) {
    const ms = Math.floor(micros / 1000);
    const lastStart = ms - (ms % window.advanceMs);
    for (let start = lastStart; start > ms - window.sizeMs; start -= window.advanceMs) {
      const count = (counts.get(start) ?? 0) + 1;
      if (count > threshold) return micros;
      counts.set(start, count);
    }
  }
  return undefined;
}
