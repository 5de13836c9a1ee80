/** A SourceWindowStats row for detector tests: quiet figures, the test overrides what it checks. */
import type { SourceWindowStats } from '../../../examples/network-monitor/types.js';

/** Window 12:00–12:05 UTC on 2026-01-01. */
export const WINDOW_START = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A quiet row of `source` in the test window, with `figures` overriding. */
export function statsRow(figures: Partial<SourceWindowStats> = {}, source = '10.0.0.7'): SourceWindowStats {
  return {
    source,
    windowStart: WINDOW_START,
    windowEnd: WINDOW_START + 300_000,
    packets: 10,
    bytes: 1000,
    distinctDstPorts: 2,
    distinctDstHosts: 2,
    tcpSyn: 1,
    tcpSynAck: 0,
    tcpSynAckReceived: 1,
    avgResponseMs: 20,
    maxResponseMs: 40,
    dnsNxdomain: 0,
    ...figures,
  };
}
