/**
 * Schemas of the flagship network monitor's ADX tables. The KQL in docs/kql/network-monitor.kql
 * queries exactly these columns; `ensureAdxTable` creates them with a JSON mapping each.
 */
import type { AdxTableSchema } from './schema.js';

/** Per-source traffic statistics of one event-time window. */
export const PACKET_STATS_TABLE: AdxTableSchema = {
  table: 'PacketStats',
  columns: [
    { name: 'windowStart', type: 'datetime' },
    { name: 'windowEnd', type: 'datetime' },
    { name: 'srcIp', type: 'string' },
    { name: 'packets', type: 'long' },
    { name: 'bytes', type: 'long' },
    { name: 'distinctDstPorts', type: 'long' },
    { name: 'distinctDstHosts', type: 'long' },
    { name: 'synCount', type: 'long' },
    { name: 'synAckCount', type: 'long' },
    { name: 'avgResponseMs', type: 'real' },
    { name: 'maxResponseMs', type: 'real' },
    { name: 'nxdomainCount', type: 'long' },
  ],
};

/** Alerts raised by the detectors; `evidence` holds detector-specific figures. */
export const ALERTS_TABLE: AdxTableSchema = {
  table: 'Alerts',
  columns: [
    { name: 'time', type: 'datetime' },
    { name: 'severity', type: 'string' },
    { name: 'srcIp', type: 'string' },
    { name: 'detector', type: 'string' },
    { name: 'windowStart', type: 'datetime' },
    { name: 'windowEnd', type: 'datetime' },
    { name: 'evidence', type: 'dynamic' },
  ],
};

/** Raw packets as tshark decodes them (one row per packet). */
export const PACKETS_TABLE: AdxTableSchema = {
  table: 'Packets',
  columns: [
    { name: 'timestamp', type: 'datetime' },
    { name: 'srcIp', type: 'string' },
    { name: 'dstIp', type: 'string' },
    { name: 'srcPort', type: 'int' },
    { name: 'dstPort', type: 'int' },
    { name: 'protocol', type: 'string' },
    { name: 'length', type: 'long' },
    { name: 'tcpFlags', type: 'string' },
    { name: 'ttl', type: 'int' },
    { name: 'dnsQuery', type: 'string' },
    { name: 'dnsRcode', type: 'int' },
    { name: 'responseTimeMs', type: 'real' },
  ],
};

/** The mapping name `ensureAdxTable` gives each flagship table: `<Table>Mapping`. */
export function defaultMappingName(schema: AdxTableSchema): string {
  return `${schema.table}Mapping`;
}
