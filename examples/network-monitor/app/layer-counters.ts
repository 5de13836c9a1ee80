/**
 * Packets and bytes per top layer since the start, and over the last complete second of event
 * time. Fed once per packet on the hot path: no allocation after a layer's first packet.
 */
import type { ProtocolRate } from '../types.js';

interface LayerCounter {
  packets: number;
  bytes: number;
  /** Event-time second being filled, and its counts. */
  second: number;
  secondPackets: number;
  secondBytes: number;
  /** Counts of the last complete second (0 when the layer was silent in it). */
  lastPackets: number;
  lastBytes: number;
}

/** Per-layer totals and one-second event-time rates. */
export class LayerCounters {
  private readonly layers = new Map<string, LayerCounter>();
  private latestSecond = 0;

  /** Counts one packet of `layer`, `bytes` long, captured at `timestamp` (epoch ms). */
  add(layer: string, bytes: number, timestamp: number): void {
    const second = Math.floor(timestamp / 1000);
    let c = this.layers.get(layer);
    if (c === undefined) {
      c = { packets: 0, bytes: 0, second, secondPackets: 0, secondBytes: 0, lastPackets: 0, lastBytes: 0 };
      this.layers.set(layer, c);
    }
    c.packets++;
    c.bytes += bytes;
    if (second > this.latestSecond) this.latestSecond = second;
    if (second > c.second) this.roll(c, second);
    if (second === c.second) {
      c.secondPackets++;
      c.secondBytes += bytes;
    }
  }

  /** Packets per layer since the start. */
  packetsByLayer(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [layer, c] of this.layers) out[layer] = c.packets;
    return out;
  }

  /** Bytes per layer since the start. */
  bytesByLayer(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [layer, c] of this.layers) out[layer] = c.bytes;
    return out;
  }

  /** Every packet counted so far. */
  get total(): number {
    let sum = 0;
    for (const c of this.layers.values()) sum += c.packets;
    return sum;
  }

  /** Rates of the last complete second of event time (as the newest packet sees it), busiest first. */
  rates(): ProtocolRate[] {
    const out: ProtocolRate[] = [];
    for (const [layer, c] of this.layers) {
      // A layer that went quiet has not rolled its counters: judge it against the newest second.
      if (this.latestSecond > c.second) this.roll(c, this.latestSecond);
      out.push({ layer, packetsPerSecond: c.lastPackets, bytesPerSecond: c.lastBytes });
    }
    return out.sort((a, b) => b.packetsPerSecond - a.packetsPerSecond || a.layer.localeCompare(b.layer));
  }

  private roll(c: LayerCounter, second: number): void {
    const adjacent = second === c.second + 1;
    c.lastPackets = adjacent ? c.secondPackets : 0;
    c.lastBytes = adjacent ? c.secondBytes : 0;
    c.second = second;
    c.secondPackets = 0;
    c.secondBytes = 0;
  }
}
