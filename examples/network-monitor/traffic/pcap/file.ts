/**
 * The classic libpcap file format (microsecond timestamps, Ethernet link type): what the generators
 * write and tshark reads. Captures are built in code, so tests and the demo own their bytes.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

/** One captured frame and its capture time. */
export interface PcapPacket {
  /** Capture time in microseconds since the epoch. */
  timestampMicros: number;
  /** The frame, starting at the Ethernet header. */
  frame: Buffer;
}

const LINKTYPE_ETHERNET = 1;

/** The 24-byte global header of a microsecond, little-endian, Ethernet capture. */
export function pcapFileHeader(): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // magic: microsecond resolution, little endian
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16); // snap length
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return header;
}

/** The 16-byte record header in front of each frame. */
export function pcapRecordHeader({ timestampMicros, frame }: PcapPacket): Buffer {
  const record = Buffer.alloc(16);
  record.writeUInt32LE(Math.floor(timestampMicros / 1e6), 0);
  record.writeUInt32LE(timestampMicros % 1e6, 4);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  return record;
}

/** Writes packets to `file` as a libpcap capture (microsecond timestamps, Ethernet link type). */
export function writePcap(file: string, packets: PcapPacket[]): void {
  const records = packets.flatMap((packet) => [pcapRecordHeader(packet), packet.frame]);
  writeFileSync(file, Buffer.concat([pcapFileHeader(), ...records]));
}

/**
 * Writes packets to `file` as they come from `packets` (any iterable, e.g. a generator), without
 * holding the whole capture in memory; same format as `writePcap`. Returns the number written.
 */
export function writePcapFrom(file: string, packets: Iterable<PcapPacket>): number {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, pcapFileHeader());
    let count = 0;
    for (const packet of packets) {
      writeSync(fd, pcapRecordHeader(packet));
      writeSync(fd, packet.frame);
      count++;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}
