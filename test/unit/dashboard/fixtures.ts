/** Snapshots, stats and alerts for the dashboard's unit tests. */
import type { Alert, MonitorSnapshot, SourceWindowStats } from '../../../examples/network-monitor/types.js';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A snapshot at `streamTime` with the given per-layer rates and alerts (newest first). */
export function snapshotAt(
  streamTime: number,
  rates: Record<string, [number, number]>,
  recentAlerts: Alert[] = [],
  topTalkers: SourceWindowStats[] = [],
): MonitorSnapshot {
  return {
    streamTime,
    packetsRead: 100,
    packetsTotal: 1000,
    packetsByLayer: Object.fromEntries(Object.keys(rates).map((l) => [l, 10])),
    rates: Object.entries(rates).map(([layer, [p, b]]) => ({
      layer,
      packetsPerSecond: p,
      bytesPerSecond: b,
    })),
    topTalkers,
    recentAlerts,
    alertsByDetector: {},
    pipeline: { recordsPerSecond: 5, consumerLag: 0, processLatencyMs: 0, deadLetters: 0 },
  };
}

/** Statistics of `source` in the window starting at T0. */
export function statsOf(source: string, bytes: number): SourceWindowStats {
  return {
    source,
    windowStart: T0,
    windowEnd: T0 + 300_000,
    packets: Math.ceil(bytes / 100),
    bytes,
    distinctDstPorts: 1,
    distinctDstHosts: 1,
    tcpSyn: 0,
    tcpSynAck: 0,
    tcpSynAckReceived: 0,
    avgResponseMs: undefined,
    maxResponseMs: undefined,
    dnsNxdomain: 0,
  };
}

/** A port-scan alert for `source`, its summary as given. */
export function alertFor(source: string, summary = `${source} probed 300 ports`): Alert {
  return {
    id: `port-scan:${source}:${T0}`,
    detector: 'port-scan',
    severity: 'warning',
    source,
    windowStart: T0,
    windowEnd: T0 + 300_000,
    firedAt: T0 + 5000,
    summary,
    evidence: { distinctDstPorts: 300, threshold: 100 },
  };
}
