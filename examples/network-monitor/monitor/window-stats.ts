/**
 * The per-host window aggregation: library aggregations (stats.*) over host observations, and the
 * conversion of their result into the shared SourceWindowStats row.
 */
import { stats } from '../../../src/aggregations/index.js';
import type { Windowed } from '../../../src/runtime/record.js';
import type { SourceWindowStats } from '../types.js';
import type { HostObservation } from './host-observation.js';

// Distinct counts stay exact up to 1000 values, then a 4 KiB sketch (1.6 % standard error): a port
// scan of a whole range costs 4 KiB per window, not a set of 65k ports.
const distinct = { exactUpTo: 1000, precision: 12 };

/**
 * The aggregation of one host's observations in one window. Null selections (a port or host that
 * does not apply) are skipped by distinctCount; NaN readings are skipped by max.
 */
export function hostWindowAggregator() {
  return stats.combine({
    packets: stats.sum((o: HostObservation) => o.sent),
    bytes: stats.sum((o: HostObservation) => o.bytes),
    // distinctCount documents that null selections are skipped; its selector type does not say so.
    dstPorts: stats.distinctCount((o: HostObservation) => o.dstPort as number, distinct),
    dstHosts: stats.distinctCount((o: HostObservation) => o.dstHost as string, distinct),
    tcpSyn: stats.sum((o: HostObservation) => o.syn),
    tcpSynAck: stats.sum((o: HostObservation) => o.synAck),
    tcpSynAckReceived: stats.sum((o: HostObservation) => o.synAckReceived),
    dnsNxdomain: stats.sum((o: HostObservation) => o.nxdomain),
    responseSumMs: stats.sum((o: HostObservation) => o.responseSumMs),
    responseCount: stats.sum((o: HostObservation) => o.responseCount),
    responseMaxMs: stats.max((o: HostObservation) => o.responseMaxMs),
  });
}

/** The result type of {@link hostWindowAggregator}. */
export type HostWindowFigures = ReturnType<ReturnType<typeof hostWindowAggregator>['result']>;

/** The shared statistics row of one host and window. */
export function toSourceWindowStats(window: Windowed<string>, f: HostWindowFigures): SourceWindowStats {
  return {
    source: window.key,
    windowStart: window.window.start,
    windowEnd: window.window.end,
    packets: f.packets,
    bytes: f.bytes,
    distinctDstPorts: f.dstPorts,
    distinctDstHosts: f.dstHosts,
    tcpSyn: f.tcpSyn,
    tcpSynAck: f.tcpSynAck,
    tcpSynAckReceived: f.tcpSynAckReceived,
    avgResponseMs: f.responseCount > 0 ? f.responseSumMs / f.responseCount : undefined,
    maxResponseMs: f.responseMaxMs ?? undefined,
    dnsNxdomain: f.dnsNxdomain,
  };
}
