/** Labelled network traffic for the monitor's demo, tests and detection bench. */
export { ANOMALY_DEFAULTS, type AnomalySpec } from './anomalies.js';
export {
  type GeneratedTraffic,
  generateTraffic,
  MAX_PACKETS_PER_SECOND_PER_HOST,
  type TrafficOptions,
} from './generate.js';
export {
  type AnomalyKind,
  DEFAULT_WINDOW,
  firstWindowCrossing,
  PACKET_RATE_THRESHOLD,
  SLOW_RESPONSE_THRESHOLD_MS,
  type TrafficLabel,
} from './labels.js';
export { DEMO_CAPTURE, DEMO_START_MS, E2E_CAPTURE, normalOnly } from './presets.js';
export {
  type DetectorQuality,
  type DetectorScore,
  percentile,
  quality,
  type SourceWindow,
  scoreDetector,
  sumScores,
} from './score.js';
export { type LabelsFile, writeCapture } from './write-capture.js';
