/**
 * The Packet fields that only some protocols fill (ports, TCP flags, ICMP, ARP, DNS, HTTP, TLS),
 * all undefined, as tshark leaves them for a frame without those layers. Test fixtures spread it
 * and set what matters, so a field added to Packet is added here once.
 */
import type { Packet } from '../../src/connectors/tshark/packet.js';

/** Every protocol-specific field of a Packet, unset. */
export const NO_PROTOCOL_FIELDS = {
  srcPort: undefined,
  dstPort: undefined,
  tcpSyn: undefined,
  tcpAck: undefined,
  tcpFin: undefined,
  tcpRst: undefined,
  tcpPsh: undefined,
  tcpAckRttMs: undefined,
  icmpType: undefined,
  icmpCode: undefined,
  arpOperation: undefined,
  arpSenderIp: undefined,
  arpTargetIp: undefined,
  dnsQueryName: undefined,
  dnsQueryType: undefined,
  dnsRcode: undefined,
  dnsIsResponse: undefined,
  dnsResponseTimeMs: undefined,
  httpHost: undefined,
  httpMethod: undefined,
  httpStatus: undefined,
  httpResponseTimeMs: undefined,
  tlsServerName: undefined,
} as const satisfies Partial<Packet>;
