/**
 * Avro schema of one captured packet of the network monitor (topic `network-packets` and the
 * per-layer topics). Every field after the first four is nullable with default null, so fields
 * can be added later without breaking older readers or writers. `layers` holds tshark's full EK
 * layers object as JSON text when the producer chose to keep it, else null.
 */
import type { AvroRecordSchema } from './avro-schema.js';

/** A packet as the Avro serde writes and reads it (null where a layer is absent). */
export interface AvroPacket {
  timestampMicros: number;
  frameLength: number;
  protocols: string[];
  topLayer: string;
  srcMac: string | null;
  dstMac: string | null;
  srcIp: string | null;
  dstIp: string | null;
  ipVersion: number | null;
  srcPort: number | null;
  dstPort: number | null;
  tcpSyn: boolean | null;
  tcpAck: boolean | null;
  tcpFin: boolean | null;
  tcpRst: boolean | null;
  tcpPsh: boolean | null;
  ackRttMs: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  arpOp: number | null;
  dnsQueryName: string | null;
  dnsQueryType: number | null;
  dnsRcode: number | null;
  dnsResponseTimeMs: number | null;
  dnsIsResponse: boolean | null;
  httpHost: string | null;
  httpMethod: string | null;
  httpStatus: number | null;
  httpResponseTimeMs: number | null;
  tlsSni: string | null;
  layers: string | null;
}

const nullable = (type: string, doc: string) => ({ type: ['null', type], default: null, doc }) as const;

/** The Avro schema of {@link AvroPacket}: record `tributary.netmon.Packet`. */
export const PACKET_AVRO_SCHEMA = {
  type: 'record',
  name: 'Packet',
  namespace: 'tributary.netmon',
  doc: 'One captured network packet, as decoded by tshark.',
  fields: [
    { name: 'timestampMicros', type: 'long', doc: 'Capture time, microseconds since the Unix epoch.' },
    { name: 'frameLength', type: 'int', doc: 'Frame length on the wire, bytes.' },
    { name: 'protocols', type: { type: 'array', items: 'string' }, doc: 'Protocol stack, outermost first.' },
    { name: 'topLayer', type: 'string', doc: 'Routing layer: dns, http, tls, tcp, udp, icmp, arp or other.' },
    { name: 'srcMac', ...nullable('string', 'Source MAC address.') },
    { name: 'dstMac', ...nullable('string', 'Destination MAC address.') },
    { name: 'srcIp', ...nullable('string', 'Source IPv4 or IPv6 address.') },
    { name: 'dstIp', ...nullable('string', 'Destination IPv4 or IPv6 address.') },
    { name: 'ipVersion', ...nullable('int', '4 or 6.') },
    { name: 'srcPort', ...nullable('int', 'TCP or UDP source port.') },
    { name: 'dstPort', ...nullable('int', 'TCP or UDP destination port.') },
    { name: 'tcpSyn', ...nullable('boolean', 'TCP SYN flag.') },
    { name: 'tcpAck', ...nullable('boolean', 'TCP ACK flag.') },
    { name: 'tcpFin', ...nullable('boolean', 'TCP FIN flag.') },
    { name: 'tcpRst', ...nullable('boolean', 'TCP RST flag.') },
    { name: 'tcpPsh', ...nullable('boolean', 'TCP PSH flag.') },
    { name: 'ackRttMs', ...nullable('double', 'TCP ACK round-trip time (tcp.analysis.ack_rtt), ms.') },
    { name: 'icmpType', ...nullable('int', 'ICMP or ICMPv6 type.') },
    { name: 'icmpCode', ...nullable('int', 'ICMP or ICMPv6 code.') },
    { name: 'arpOp', ...nullable('int', 'ARP operation (1 request, 2 reply).') },
    { name: 'dnsQueryName', ...nullable('string', 'First DNS query name.') },
    { name: 'dnsQueryType', ...nullable('int', 'First DNS query type (1 A, 28 AAAA...).') },
    { name: 'dnsRcode', ...nullable('int', 'DNS response code (3 NXDOMAIN).') },
    { name: 'dnsResponseTimeMs', ...nullable('double', 'DNS response time (dns.time), ms.') },
    { name: 'dnsIsResponse', ...nullable('boolean', 'True for DNS responses.') },
    { name: 'httpHost', ...nullable('string', 'HTTP Host header.') },
    { name: 'httpMethod', ...nullable('string', 'HTTP request method.') },
    { name: 'httpStatus', ...nullable('int', 'HTTP response status code.') },
    { name: 'httpResponseTimeMs', ...nullable('double', 'HTTP response time (http.time), ms.') },
    { name: 'tlsSni', ...nullable('string', 'TLS server name indication.') },
    { name: 'layers', ...nullable('string', "tshark's EK layers object as JSON text, when kept.") },
  ],
} as const satisfies AvroRecordSchema;
