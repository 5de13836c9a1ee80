/**
 * Avro schema of the network monitor's per-source statistics of one event-time window (the same
 * figures as the ADX `PacketStats` table). Window bounds are epoch milliseconds, as in TimeWindow.
 */
import type { AvroRecordSchema } from './avro-schema.js';

/** Per-source statistics of one window, as the Avro serde writes and reads them. */
export interface AvroWindowedStats {
  windowStart: number;
  windowEnd: number;
  srcIp: string;
  packets: number;
  bytes: number;
  distinctDstPorts: number;
  distinctDstHosts: number;
  synCount: number;
  synAckCount: number;
  avgResponseMs: number | null;
  maxResponseMs: number | null;
  nxdomainCount: number;
}

/** The Avro schema of {@link AvroWindowedStats}: record `tributary.netmon.WindowedStats`. */
export const WINDOWED_STATS_AVRO_SCHEMA = {
  type: 'record',
  name: 'WindowedStats',
  namespace: 'tributary.netmon',
  doc: 'Traffic statistics of one source IP in one event-time window.',
  fields: [
    {
      name: 'windowStart',
      type: { type: 'long', logicalType: 'timestamp-millis' },
      doc: 'Window start, inclusive.',
    },
    {
      name: 'windowEnd',
      type: { type: 'long', logicalType: 'timestamp-millis' },
      doc: 'Window end, exclusive.',
    },
    { name: 'srcIp', type: 'string', doc: 'Source IP the figures are about.' },
    { name: 'packets', type: 'long', doc: 'Packets sent.' },
    { name: 'bytes', type: 'long', doc: 'Bytes sent (frame lengths).' },
    { name: 'distinctDstPorts', type: 'long', doc: 'Distinct destination ports (estimate above 10k).' },
    { name: 'distinctDstHosts', type: 'long', doc: 'Distinct destination IPs (estimate above 10k).' },
    { name: 'synCount', type: 'long', doc: 'TCP SYN without ACK.' },
    { name: 'synAckCount', type: 'long', doc: 'TCP SYN+ACK.' },
    {
      name: 'avgResponseMs',
      type: ['null', 'double'],
      default: null,
      doc: 'Mean DNS/HTTP/TCP response time, ms.',
    },
    { name: 'maxResponseMs', type: ['null', 'double'], default: null, doc: 'Largest response time, ms.' },
    { name: 'nxdomainCount', type: 'long', default: 0, doc: 'DNS responses with rcode NXDOMAIN.' },
  ],
} as const satisfies AvroRecordSchema;
