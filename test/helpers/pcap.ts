/**
 * A small pcap writer for tests: builds Ethernet / IPv4 / IPv6 / TCP / UDP / ICMP frames byte by byte
 * and writes them in the classic libpcap format, so tests own their captures instead of shipping binaries.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

export interface PcapPacket {
  /** Capture time in microseconds since the epoch. */
  timestampMicros: number;
  /** The frame, starting at the Ethernet header. */
  frame: Buffer;
}

const LINKTYPE_ETHERNET = 1;

/** Writes packets to `file` as a libpcap capture (microsecond timestamps, Ethernet link type). */
export function writePcap(file: string, packets: PcapPacket[]): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // magic: microsecond resolution, little endian
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(65535, 16); // snap length
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const records = packets.map(({ timestampMicros, frame }) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(timestampMicros / 1e6), 0);
    record.writeUInt32LE(timestampMicros % 1e6, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  writeFileSync(file, Buffer.concat([header, ...records]));
}

/**
 * Writes packets to `file` as they come from `packets` (any iterable, e.g. a generator), without
 * holding the whole capture in memory; same format as `writePcap`. Returns the number written.
 */
export function writePcapFrom(file: string, packets: Iterable<PcapPacket>): number {
  const fd = openSync(file, 'w');
  try {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    writeSync(fd, header);
    let count = 0;
    for (const { timestampMicros, frame } of packets) {
      const record = Buffer.alloc(16);
      record.writeUInt32LE(Math.floor(timestampMicros / 1e6), 0);
      record.writeUInt32LE(timestampMicros % 1e6, 4);
      record.writeUInt32LE(frame.length, 8);
      record.writeUInt32LE(frame.length, 12);
      writeSync(fd, record);
      writeSync(fd, frame);
      count++;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}

function macBytes(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((h) => Number.parseInt(h, 16)));
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** Internet checksum (RFC 1071) over the given bytes. */
export function inetChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) + (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;

export function ethernet(src: string, dst: string, etherType: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(14);
  macBytes(dst).copy(header, 0);
  macBytes(src).copy(header, 6);
  header.writeUInt16BE(etherType, 12);
  return Buffer.concat([header, payload]);
}

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

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

export function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]); // checksum 0: "not computed", valid for UDP over IPv4
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  payload?: Buffer;
}

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

export function icmpEcho(
  type: 0 | 8,
  id: number,
  sequence: number,
  payload = Buffer.from('tributary'),
): Buffer {
  const message = Buffer.alloc(8 + payload.length);
  message.writeUInt8(type, 0);
  message.writeUInt16BE(id, 4);
  message.writeUInt16BE(sequence, 6);
  payload.copy(message, 8);
  message.writeUInt16BE(inetChecksum(message), 2);
  return message;
}
