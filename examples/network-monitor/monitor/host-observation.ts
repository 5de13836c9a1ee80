/**
 * Per-host observations: what one packet tells about each host it concerns. The sender gets the
 * packet's figures; the receiver gets only the two `...Received` figures (a SYN-ACK answering its
 * connection attempt, an NXDOMAIN answering its query), per the attribution rule in types.ts.
 * Keyed by host, they feed the per-host windowed aggregation.
 */
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import type { KeyValue } from '../../../src/runtime/record.js';

/**
 * One packet as seen by one host. Every field is always present (one object shape on the hot
 * path); a figure that does not apply is 0, `null` (skipped by distinct counts) or NaN (skipped by
 * numeric aggregations).
 */
export interface HostObservation {
  /** 1 when the host sent the packet, 0 when it only received it. */
  readonly sent: 0 | 1;
  /** Bytes on the wire the host sent (0 when received). */
  readonly bytes: number;
  /** The destination port when it is on the service side (see {@link serviceSidePort}), else null. */
  readonly dstPort: number | null;
  /** The destination IP the host sent to, else null. */
  readonly dstHost: string | null;
  /** 1 for a TCP SYN without ACK the host sent. */
  readonly syn: 0 | 1;
  /** 1 for a TCP SYN-ACK the host sent. */
  readonly synAck: 0 | 1;
  /** 1 for a TCP SYN-ACK the host received. */
  readonly synAckReceived: 0 | 1;
  /** 1 for a DNS NXDOMAIN answer the host received. */
  readonly nxdomain: 0 | 1;
  /** Sum of the response times this packet carries (TCP ack RTT, DNS and HTTP response time), ms. */
  readonly responseSumMs: number;
  /** How many response times this packet carries (0 to 3). */
  readonly responseCount: number;
  /** The largest of them, or NaN when there is none. */
  readonly responseMaxMs: number;
}

/** The host a packet comes from: source IP, or source MAC for frames without IP. */
export function senderOf(packet: Packet): string | undefined {
  return packet.srcIp ?? packet.srcMac;
}

/** The host a packet goes to: destination IP, or destination MAC for frames without IP. */
export function receiverOf(packet: Packet): string | undefined {
  return packet.dstIp ?? packet.dstMac;
}

/**
 * The destination port when the packet travels toward a service, else null. Replies from a busy
 * server go to its clients' ephemeral ports, which would look like a port scan; so a port counts
 * when the segment is TCP without ACK (a connection attempt or a FIN/NULL/Xmas probe), or, for
 * anything else with ports, when it is below the source port (clients send from high ephemeral
 * ports to low service ports; answers travel the other way).
 */
export function serviceSidePort(packet: Packet): number | null {
  const dst = packet.dstPort;
  if (dst === undefined) return null;
  if (packet.tcpAck === false) return dst;
  if (packet.tcpAck === true) return null;
  const src = packet.srcPort;
  return src === undefined || dst < src ? dst : null;
}

/** The observation of the packet's sender. */
export function sentObservation(packet: Packet): HostObservation {
  // Three optional readings, no array: NaN stands for "none" and drops out of sum, count and max.
  const a = reading(packet.tcpAckRttMs);
  const b = reading(packet.dnsResponseTimeMs);
  const c = reading(packet.httpResponseTimeMs);
  const responseCount = present(a) + present(b) + present(c);
  const responseSumMs = orZero(a) + orZero(b) + orZero(c);
  const responseMaxMs = larger(larger(a, b), c);
  return {
    sent: 1,
    bytes: packet.length,
    dstPort: serviceSidePort(packet),
    dstHost: packet.dstIp ?? null,
    syn: packet.tcpSyn === true && packet.tcpAck !== true ? 1 : 0,
    synAck: packet.tcpSyn === true && packet.tcpAck === true ? 1 : 0,
    synAckReceived: 0,
    nxdomain: 0,
    responseSumMs,
    responseCount,
    responseMaxMs,
  };
}

/** A finite reading, or NaN. */
function reading(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : Number.NaN;
}

/** 1 for a reading, 0 for none. */
function present(x: number): number {
  return Number.isNaN(x) ? 0 : 1;
}

/** The reading, or 0 for none. */
function orZero(x: number): number {
  return Number.isNaN(x) ? 0 : x;
}

/** The larger of two readings where NaN means "none". */
function larger(x: number, y: number): number {
  if (Number.isNaN(x)) return y;
  if (Number.isNaN(y)) return x;
  return Math.max(x, y);
}

/** The observation of the packet's receiver, or undefined when the packet tells nothing about it. */
export function receivedObservation(packet: Packet): HostObservation | undefined {
  const synAck = packet.tcpSyn === true && packet.tcpAck === true;
  const nxdomain = packet.dnsIsResponse === true && packet.dnsRcode === 3;
  if (!synAck && !nxdomain) return undefined;
  return {
    sent: 0,
    bytes: 0,
    dstPort: null,
    dstHost: null,
    syn: 0,
    synAck: 0,
    synAckReceived: synAck ? 1 : 0,
    nxdomain: nxdomain ? 1 : 0,
    responseSumMs: 0,
    responseCount: 0,
    responseMaxMs: Number.NaN,
  };
}

/** Every (host, observation) pair a packet yields: its sender's, and its receiver's when it has one. */
export function hostObservations(packet: Packet): KeyValue<string, HostObservation>[] {
  const out: KeyValue<string, HostObservation>[] = [];
  const sender = senderOf(packet);
  if (sender !== undefined) out.push({ key: sender, value: sentObservation(packet) });
  const received = receivedObservation(packet);
  const receiver = received && receiverOf(packet);
  if (received && receiver !== undefined) out.push({ key: receiver, value: received });
  return out;
}
