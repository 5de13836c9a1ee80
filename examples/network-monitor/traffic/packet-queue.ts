/**
 * A min-heap of packets by capture time (ties in insertion order), so packets of overlapping
 * exchanges come out in timestamp order while only the packets still in flight are held.
 */
import type { PcapPacket } from './pcap/file.js';

interface Entry {
  packet: PcapPacket;
  order: number;
}

/** Packets waiting to be written, earliest first. */
export class PacketQueue {
  private readonly heap: Entry[] = [];
  private inserted = 0;

  /** Packets waiting. */
  get size(): number {
    return this.heap.length;
  }

  /** Adds one packet. */
  push(packet: PcapPacket): void {
    this.heap.push({ packet, order: this.inserted++ });
    this.siftUp(this.heap.length - 1);
  }

  /** Yields, earliest first, every packet with a capture time before `untilMicros`. */
  *drainBefore(untilMicros: number): Generator<PcapPacket> {
    while (this.heap.length > 0 && this.heap[0]!.packet.timestampMicros < untilMicros) {
      yield this.pop();
    }
  }

  private pop(): PcapPacket {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top.packet;
  }

  private before(a: Entry, b: Entry): boolean {
    const dt = a.packet.timestampMicros - b.packet.timestampMicros;
    return dt < 0 || (dt === 0 && a.order < b.order);
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i]!, this.heap[parent]!)) return;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.before(this.heap[left]!, this.heap[smallest]!)) smallest = left;
      if (right < this.heap.length && this.before(this.heap[right]!, this.heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [this.heap[i], this.heap[smallest]] = [this.heap[smallest]!, this.heap[i]!];
      i = smallest;
    }
  }
}
