/**
 * Frame builders for generated captures: Ethernet, IPv4, UDP, TCP and ICMP echo, byte by byte, so
 * the expected dissection of every field is known. IPv6, ARP and application payloads: protocols.ts.
 */

/** The 6 bytes of a MAC written `02:00:00:00:00:01`. */
export function macBytes(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((h) => Number.parseInt(h, 16)));
}

/** The 4 bytes of a dotted IPv4 address. */
export function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** Internet checksum (RFC 1071) over the given bytes. */
export function inetChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) + (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** EtherType of IPv4. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType of ARP. */
export const ETHERTYPE_ARP = 0x0806;
/** EtherType of IPv6. */
export const ETHERTYPE_IPV6 = 0x86dd;

/** An Ethernet II frame from `src` to `dst` (MACs) carrying `payload`. */
export function ethernet(src: string, dst: string, etherType: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(14);
  macBytes(dst).copy(header, 0);
  macBytes(src).copy(header, 6);
  header.writeUInt16BE(etherType, 12);
  return Buffer.concat([header, payload]);
}

/** IP protocol number of ICMP. */
export const IPPROTO_ICMP = 1;
/** IP protocol number of TCP. */
export const IPPROTO_TCP = 6;
/** IP protocol number of UDP. */
export const IPPROTO_UDP = 17;

/** An IPv4 datagram (20-byte header, don't fragment, checksummed) carrying `payload`. */
export function ipv4(src: string, dst: string, protocol: number, payload: Buffer, ttl = 64): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt8(0x45, 0);
  header.writeUInt16BE(20 + payload.length, 2);
  header.writeUInt16BE(0x4000, 6); // don't fragment
  header.writeUInt8(ttl, 8);
  header.writeUInt8(protocol, 9);
  ipv4Bytes(src).copy(header, 12);
  ipv4Bytes(dst).copy(header, 16);
  header.writeUInt16BE(inetChecksum(header), 10);
  return Buffer.concat([header, payload]);
}

/** A UDP datagram (checksum 0: allowed over IPv4). */
export function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]); // checksum 0: "not computed", valid for UDP over IPv4
}

/** TCP flag bits. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** The TCP header fields a generator sets; the rest are fixed (no options, 20-byte header). */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  payload?: Buffer;
}

/** A TCP segment (checksum left 0: tshark does not verify it by default). */
export function tcp(segment: TcpSegment): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(segment.srcPort, 0);
  header.writeUInt16BE(segment.dstPort, 2);
  header.writeUInt32BE(segment.seq >>> 0, 4);
  header.writeUInt32BE((segment.ack ?? 0) >>> 0, 8);
  header.writeUInt8(5 << 4, 12);
  header.writeUInt8(segment.flags, 13);
  header.writeUInt16BE(segment.window ?? 65535, 14);
  return Buffer.concat([header, segment.payload ?? Buffer.alloc(0)]);
}

/** An echo message (ICMP or ICMPv6: same layout) with its checksum field still zero. */
export function echoMessage(type: number, id: number, sequence: number, payload: Buffer): Buffer {
  const message = Buffer.alloc(8 + payload.length);
  message.writeUInt8(type, 0);
  message.writeUInt16BE(id, 4);
  message.writeUInt16BE(sequence, 6);
  payload.copy(message, 8);
  return message;
}

/** An ICMP echo request (8) or reply (0), checksummed. */
export function icmpEcho(
  type: 0 | 8,
  id: number,
  sequence: number,
  payload = Buffer.from('tributary'),
): Buffer {
  const message = echoMessage(type, id, sequence, payload);
  message.writeUInt16BE(inetChecksum(message), 2);
  return message;
}
