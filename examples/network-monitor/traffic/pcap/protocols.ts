/**
 * Protocol builders on top of frames.ts: ARP, IPv6 (with UDP and ICMPv6 checksums over
 * the pseudo-header), DNS messages, HTTP/1.1 text, and a TLS ClientHello carrying SNI.
 * Everything is built byte by byte so tests know exactly what tshark should report.
 */
import { echoMessage, IPPROTO_UDP, inetChecksum, ipv4Bytes, macBytes } from './frames.js';

/** IP protocol number of ICMPv6 (next header). */
export const IPPROTO_ICMPV6 = 58;

/** Expands an IPv6 address (with at most one `::`) to its 16 bytes. */
export function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail] = ip.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : zeros).fill('0'), ...tailGroups];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  return out;
}

/** ARP operation codes. */
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

/** An ARP message for IPv4 over Ethernet (the payload of an ETHERTYPE_ARP frame). */
export function arp(
  operation: number,
  senderMac: string,
  senderIp: string,
  targetMac: string,
  targetIp: string,
): Buffer {
  const message = Buffer.alloc(28);
  message.writeUInt16BE(1, 0); // hardware: Ethernet
  message.writeUInt16BE(0x0800, 2); // protocol: IPv4
  message.writeUInt8(6, 4);
  message.writeUInt8(4, 5);
  message.writeUInt16BE(operation, 6);
  macBytes(senderMac).copy(message, 8);
  ipv4Bytes(senderIp).copy(message, 14);
  macBytes(targetMac).copy(message, 18);
  ipv4Bytes(targetIp).copy(message, 24);
  return message;
}

/** An IPv6 header followed by `payload`. */
export function ipv6(src: string, dst: string, nextHeader: number, payload: Buffer, hopLimit = 64): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x60000000, 0);
  header.writeUInt16BE(payload.length, 4);
  header.writeUInt8(nextHeader, 6);
  header.writeUInt8(hopLimit, 7);
  ipv6Bytes(src).copy(header, 8);
  ipv6Bytes(dst).copy(header, 24);
  return Buffer.concat([header, payload]);
}

/** Checksum of an upper-layer message over the IPv6 pseudo-header (RFC 8200 section 8.1). */
function ipv6UpperChecksum(src: string, dst: string, nextHeader: number, message: Buffer): number {
  const pseudo = Buffer.alloc(40);
  ipv6Bytes(src).copy(pseudo, 0);
  ipv6Bytes(dst).copy(pseudo, 16);
  pseudo.writeUInt32BE(message.length, 32);
  pseudo.writeUInt8(nextHeader, 39);
  return inetChecksum(Buffer.concat([pseudo, message]));
}

/** A UDP datagram inside IPv6, with the checksum IPv6 makes mandatory. */
export function udpOverIpv6(
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  payload: Buffer,
): Buffer {
  const datagram = Buffer.alloc(8 + payload.length);
  datagram.writeUInt16BE(srcPort, 0);
  datagram.writeUInt16BE(dstPort, 2);
  datagram.writeUInt16BE(datagram.length, 4);
  payload.copy(datagram, 8);
  datagram.writeUInt16BE(ipv6UpperChecksum(src, dst, IPPROTO_UDP, datagram) || 0xffff, 6);
  return ipv6(src, dst, IPPROTO_UDP, datagram);
}

/** An ICMPv6 echo request (128) or reply (129) inside IPv6, checksummed. */
export function icmpv6EchoOverIpv6(
  src: string,
  dst: string,
  type: 128 | 129,
  id: number,
  sequence: number,
  payload = Buffer.from('tributary'),
): Buffer {
  const message = echoMessage(type, id, sequence, payload);
  message.writeUInt16BE(ipv6UpperChecksum(src, dst, IPPROTO_ICMPV6, message), 2);
  return ipv6(src, dst, IPPROTO_ICMPV6, message);
}

/** An ICMP destination unreachable message (type 3) quoting `original`, an IPv4 datagram. */
export function icmpUnreachable(code: number, original: Buffer): Buffer {
  const message = Buffer.concat([Buffer.alloc(8), original]);
  message.writeUInt8(3, 0);
  message.writeUInt8(code, 1);
  message.writeUInt16BE(inetChecksum(message), 2);
  return message;
}

/** DNS record types used by the tests. */
export const DNS_TYPE_A = 1;
export const DNS_TYPE_AAAA = 28;
/** DNS response codes used by the tests. */
export const DNS_RCODE_NOERROR = 0;
export const DNS_RCODE_NXDOMAIN = 3;

function dnsName(name: string): Buffer {
  const labels = name
    .split('.')
    .map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

/** The parts of a DNS message the tests vary. */
export interface DnsMessage {
  id: number;
  response: boolean;
  rcode?: number;
  questions: Array<{ name: string; type: number }>;
  /** IPv4 answers (type A) to the first question, pointing back at its name. */
  answers?: string[];
}

/** A DNS message (the payload of a UDP datagram to or from port 53). */
export function dns(message: DnsMessage): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(message.id, 0);
  // QR, opcode 0, RD=1, RA on responses, rcode.
  const flags = (message.response ? 0x8080 : 0) | 0x0100 | (message.rcode ?? 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(message.questions.length, 4);
  header.writeUInt16BE(message.answers?.length ?? 0, 6);
  const questions = message.questions.map((q) => {
    const fixed = Buffer.alloc(4);
    fixed.writeUInt16BE(q.type, 0);
    fixed.writeUInt16BE(1, 2); // class IN
    return Buffer.concat([dnsName(q.name), fixed]);
  });
  const answers = (message.answers ?? []).map((address) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the first question
    rr.writeUInt16BE(DNS_TYPE_A, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(300, 6);
    rr.writeUInt16BE(4, 10);
    return Buffer.concat([rr, ipv4Bytes(address)]);
  });
  return Buffer.concat([header, ...questions, ...answers]);
}

/** An HTTP/1.1 request without a body. */
export function httpRequest(method: string, path: string, host: string): Buffer {
  return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: tributary-test\r\n\r\n`);
}

/** An HTTP/1.1 response with a small text body. */
export function httpResponse(status: number, reason: string, body: string): Buffer {
  return Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function withLength16(body: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length, 0);
  return Buffer.concat([length, body]);
}

/** A TLS 1.2 record holding a ClientHello with a server_name (SNI) extension for `serverName`. */
export function tlsClientHello(serverName: string): Buffer {
  const name = Buffer.from(serverName);
  const sniEntry = Buffer.concat([Buffer.from([0]), withLength16(name)]); // host_name
  const sniExtension = Buffer.concat([Buffer.from([0x00, 0x00]), withLength16(withLength16(sniEntry))]);
  const body = Buffer.concat([
    Buffer.from([0x03, 0x03]), // client_version TLS 1.2
    Buffer.alloc(32, 0x42), // random
    Buffer.from([0]), // session id: empty
    withLength16(Buffer.from([0xc0, 0x2f, 0x00, 0x9c])), // two cipher suites
    Buffer.from([1, 0]), // compression: null
    withLength16(sniExtension),
  ]);
  const handshakeHeader = Buffer.alloc(4);
  handshakeHeader.writeUInt8(1, 0); // ClientHello
  handshakeHeader.writeUIntBE(body.length, 1, 3);
  const handshake = Buffer.concat([handshakeHeader, body]);
  const recordHeader = Buffer.from([0x16, 0x03, 0x01, 0, 0]); // handshake, record version TLS 1.0
  recordHeader.writeUInt16BE(handshake.length, 3);
  return Buffer.concat([recordHeader, handshake]);
}
