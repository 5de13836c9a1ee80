/**
 * Rows of the monitor's two tables, one mapping per store: ADX (the PacketStats and Alerts schemas
 * of src/connectors/adx/network-monitor-tables.ts, dates as ISO strings) and DuckDB (the same
 * column names, dates as TIMESTAMP, plus the figures ADX's schema does not have yet).
 */
import type { DuckDbColumnSpec, DuckDbRow } from '../../../src/connectors/duckdb/index.js';
import type { Alert, SourceWindowStats } from '../types.js';

/** The figures of a PacketStats row, under the ADX column names (both stores use them). */
function statsFigures(s: SourceWindowStats) {
  return {
    srcIp: s.source,
    packets: s.packets,
    bytes: s.bytes,
    distinctDstPorts: s.distinctDstPorts,
    distinctDstHosts: s.distinctDstHosts,
    synCount: s.tcpSyn,
    synAckCount: s.tcpSynAck,
    avgResponseMs: s.avgResponseMs ?? null,
    maxResponseMs: s.maxResponseMs ?? null,
    nxdomainCount: s.dnsNxdomain,
  };
}

/** A PacketStats row for ADX. */
export function adxStatsRow(s: SourceWindowStats): Record<string, unknown> {
  return {
    windowStart: new Date(s.windowStart).toISOString(),
    windowEnd: new Date(s.windowEnd).toISOString(),
    ...statsFigures(s),
  };
}

/** An Alerts row for ADX (`evidence` is dynamic: the summary and id travel inside it). */
export function adxAlertRow(a: Alert): Record<string, unknown> {
  return {
    time: new Date(a.firedAt).toISOString(),
    severity: a.severity,
    srcIp: a.source,
    detector: a.detector,
    windowStart: new Date(a.windowStart).toISOString(),
    windowEnd: new Date(a.windowEnd).toISOString(),
    evidence: { ...a.evidence, summary: a.summary, id: a.id },
  };
}

/** Columns of the DuckDB `PacketStats` table (the ADX names, plus `synAckReceivedCount`). */
export const DUCKDB_STATS_COLUMNS: DuckDbColumnSpec = {
  windowStart: 'TIMESTAMP',
  windowEnd: 'TIMESTAMP',
  srcIp: 'VARCHAR',
  packets: 'BIGINT',
  bytes: 'BIGINT',
  distinctDstPorts: 'BIGINT',
  distinctDstHosts: 'BIGINT',
  synCount: 'BIGINT',
  synAckCount: 'BIGINT',
  synAckReceivedCount: 'BIGINT',
  avgResponseMs: 'DOUBLE',
  maxResponseMs: 'DOUBLE',
  nxdomainCount: 'BIGINT',
};

/** A DuckDB PacketStats row. */
export function duckDbStatsRow(s: SourceWindowStats): DuckDbRow {
  return {
    windowStart: new Date(s.windowStart),
    windowEnd: new Date(s.windowEnd),
    ...statsFigures(s),
    synAckReceivedCount: s.tcpSynAckReceived,
  };
}

/** Columns of the DuckDB `Alerts` table (the ADX names, plus `id` and `summary`). */
export const DUCKDB_ALERT_COLUMNS: DuckDbColumnSpec = {
  time: 'TIMESTAMP',
  id: 'VARCHAR',
  severity: 'VARCHAR',
  srcIp: 'VARCHAR',
  detector: 'VARCHAR',
  windowStart: 'TIMESTAMP',
  windowEnd: 'TIMESTAMP',
  summary: 'VARCHAR',
  evidence: 'JSON',
};

/** A DuckDB Alerts row. */
export function duckDbAlertRow(a: Alert): DuckDbRow {
  return {
    time: new Date(a.firedAt),
    id: a.id,
    severity: a.severity,
    srcIp: a.source,
    detector: a.detector,
    windowStart: new Date(a.windowStart),
    windowEnd: new Date(a.windowEnd),
    summary: a.summary,
    evidence: a.evidence,
  };
}
