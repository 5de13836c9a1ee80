/**
 * The network monitor's core: routing and monitoring topologies, per-host window statistics,
 * detectors with adaptive baselines, the alert gate, and an offline runner.
 * @packageDocumentation
 */
export { decide, type GateDecision, type GateEntry, gateKey } from './alert-gate.js';
export { AlertGateProcessor, alertGateStoreSpec } from './alert-gate-processor.js';
export {
  type Baseline,
  type Deviation,
  deviation,
  elapsedFraction,
  isSpike,
  learnWindow,
  newBaseline,
  stdDev,
} from './baseline.js';
export { buildNetworkMonitor, type NetworkMonitorStreams } from './build-monitor.js';
export { ClosedWindowsProcessor, closedWindowsStoreSpec } from './closed-windows.js';
export { baselineStoreSpec, DetectionProcessor, type WindowEvent } from './detection-processor.js';
export * from './detectors/index.js';
export {
  type HostObservation,
  hostObservations,
  receivedObservation,
  receiverOf,
  senderOf,
  sentObservation,
  serviceSidePort,
} from './host-observation.js';
export type * from './options.js';
export { severityOf } from './options.js';
export { defaultMonitorOptions, MonitorOptionsError, resolveMonitorOptions } from './resolve-options.js';
export { buildPacketRouting } from './routing.js';
export { type DetectionResult, type RunDetectionOptions, runDetection } from './run-detection.js';
export { type HostWindowFigures, hostWindowAggregator, toSourceWindowStats } from './window-stats.js';
