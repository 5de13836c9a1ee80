/** Packet records for the monitor's unit tests: every model field present, the test sets what matters. */
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { NO_PROTOCOL_FIELDS } from '../../helpers/packet-fields.js';

/** A packet sent at `timestamp` (ms) with the given fields; the rest undefined, as tshark leaves them. */
export function packet(timestamp: number, fields: Partial<Packet>): Packet {
  return {
    timestampMicros: timestamp * 1000,
    timestamp,
    frameNumber: 0,
    length: 60,
    protocols: ['eth', 'ethertype', 'ip'],
    topLayer: 'other',
    srcMac: undefined,
    dstMac: undefined,
    ipVersion: 4,
    srcIp: undefined,
    dstIp: undefined,
    ...NO_PROTOCOL_FIELDS,
    layers: {},
    ...fields,
  };
}

/** A TCP segment from src:srcPort to dst:dstPort with the given flags. */
export function tcp(
  timestamp: number,
  src: string,
  srcPort: number,
  dst: string,
  dstPort: number,
  flags: { syn?: boolean; ack?: boolean; rst?: boolean; rttMs?: number } = { ack: true },
): Packet {
  return packet(timestamp, {
    protocols: ['eth', 'ethertype', 'ip', 'tcp'],
    topLayer: 'tcp',
    srcIp: src,
    dstIp: dst,
    srcPort,
    dstPort,
    tcpSyn: flags.syn ?? false,
    tcpAck: flags.ack ?? false,
    tcpFin: false,
    tcpRst: flags.rst ?? false,
    tcpPsh: false,
    tcpAckRttMs: flags.rttMs,
  });
}

/** A DNS answer from `server` to `client`, with its rcode and response time. */
export function dnsAnswer(
  timestamp: number,
  server: string,
  client: string,
  rcode: number,
  responseTimeMs = 5,
): Packet {
  return packet(timestamp, {
    protocols: ['eth', 'ethertype', 'ip', 'udp', 'dns'],
    topLayer: 'dns',
    srcIp: server,
    dstIp: client,
    srcPort: 53,
    dstPort: 40000,
    dnsIsResponse: true,
    dnsRcode: rcode,
    dnsResponseTimeMs: responseTimeMs,
    dnsQueryName: 'x.example',
  });
}

/** Records keyed by sender, as tsharkSource keys them, sorted by time. */
export function records(packets: Packet[]): StreamRecord<string, Packet>[] {
  return packets
    .map((p) => ({ key: p.srcIp ?? p.srcMac ?? '', value: p, timestamp: p.timestamp }))
    .sort((a, b) => a.timestamp - b.timestamp);
}
