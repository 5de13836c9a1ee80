/**
 * The named captures: the demo's (bundled in examples/network-monitor/data/), the end-to-end tests'
 * (a different seed, rate and mix, generated at test time, never seen by the demo), and normal-only
 * traffic for checking that ordinary variation raises no alert.
 */
import type { TrafficOptions } from './generate.js';

/** Event time of the demo capture's first second: 2026-01-05T09:00:00Z (a Monday morning). */
export const DEMO_START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The demo capture: 8 minutes, every anomaly kind once, spread so each stands out in the live view. */
export const DEMO_CAPTURE: TrafficOptions = {
  seed: 7,
  durationS: 480,
  startMs: DEMO_START_MS,
  normalHosts: 80,
  packetsPerSecond: 80,
  anomalies: [
    { kind: 'port-scan', atS: 75 },
    { kind: 'dns-nxdomain', atS: 140 },
    { kind: 'syn-flood', atS: 200 },
    { kind: 'slow-response', atS: 250 },
    { kind: 'packet-rate', atS: 300 },
    { kind: 'traffic-spike', atS: 330 },
  ],
};

/** The end-to-end tests' capture: another seed, rate and order, a larger scan and a shorter flood. */
export const E2E_CAPTURE: TrafficOptions = {
  seed: 20_261_122,
  durationS: 420,
  startMs: DEMO_START_MS + 86_400_000,
  normalHosts: 60,
  packetsPerSecond: 70,
  anomalies: [
    { kind: 'syn-flood', atS: 60, durationS: 25, intensity: 0.75 },
    { kind: 'port-scan', atS: 130, intensity: 1.5 },
    { kind: 'dns-nxdomain', atS: 190, intensity: 1.3 },
    { kind: 'packet-rate', atS: 220, durationS: 45 },
    { kind: 'slow-response', atS: 260, durationS: 60 },
    { kind: 'traffic-spike', atS: 300, intensity: 1.2 },
  ],
};

/** Normal-only traffic of `base` (same hosts and rates, no anomaly). */
export function normalOnly(base: TrafficOptions): TrafficOptions {
  return { ...base, anomalies: [] };
}
