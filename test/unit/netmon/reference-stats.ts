/**
 * A straightforward reference computation of the per-source window statistics, written from the
 * definitions in types.ts with plain loops, Sets and Maps, to check the topology against.
 */

import type { SourceWindowStats } from '../../../examples/network-monitor/types.js';
import type { Packet } from '../../../src/connectors/tshark/packet.js';

interface Cell {
  packets: number;
  bytes: number;
  ports: Set<number>;
  hosts: Set<string>;
  syn: number;
  synAck: number;
  synAckReceived: number;
  nxdomain: number;
  responses: number[];
}

/** Every (source, window) row the packets imply, sorted by window start then source. */
export function referenceStats(
  packets: Iterable<Packet>,
  window = { sizeMs: 300_000, advanceMs: 60_000 },
): SourceWindowStats[] {
  const cells = new Map<string, Cell>();
  for (const p of packets) {
    const sender = p.srcIp ?? p.srcMac;
    if (sender !== undefined) {
      for (const c of windowCells(cells, sender, p.timestamp, window)) {
        c.packets++;
        c.bytes += p.length;
        if (p.dstIp !== undefined) c.hosts.add(p.dstIp);
        const toService =
          p.dstPort !== undefined &&
          (p.tcpAck === false ||
            (p.tcpAck === undefined && (p.srcPort === undefined || p.dstPort < p.srcPort)));
        if (toService) c.ports.add(p.dstPort!);
        if (p.tcpSyn === true && p.tcpAck !== true) c.syn++;
        if (p.tcpSyn === true && p.tcpAck === true) c.synAck++;
        for (const r of [p.tcpAckRttMs, p.dnsResponseTimeMs, p.httpResponseTimeMs])
          if (r !== undefined) c.responses.push(r);
      }
    }
    const receiver = p.dstIp ?? p.dstMac;
    if (receiver !== undefined) {
      const synAck = p.tcpSyn === true && p.tcpAck === true;
      const nx = p.dnsIsResponse === true && p.dnsRcode === 3;
      if (synAck || nx) {
        for (const c of windowCells(cells, receiver, p.timestamp, window)) {
          if (synAck) c.synAckReceived++;
          if (nx) c.nxdomain++;
        }
      }
    }
  }
  const rows: SourceWindowStats[] = [];
  for (const [key, c] of cells) {
    const [source, start] = key.split('\u0000') as [string, string];
    const windowStart = Number(start);
    rows.push({
      source,
      windowStart,
      windowEnd: windowStart + window.sizeMs,
      packets: c.packets,
      bytes: c.bytes,
      distinctDstPorts: c.ports.size,
      distinctDstHosts: c.hosts.size,
      tcpSyn: c.syn,
      tcpSynAck: c.synAck,
      tcpSynAckReceived: c.synAckReceived,
      avgResponseMs: c.responses.length
        ? c.responses.reduce((a, b) => a + b, 0) / c.responses.length
        : undefined,
      maxResponseMs: c.responses.length ? Math.max(...c.responses) : undefined,
      dnsNxdomain: c.nxdomain,
    });
  }
  return sortRows(rows);
}

/** Rows sorted by window start, then source. */
export function sortRows(rows: SourceWindowStats[]): SourceWindowStats[] {
  return [...rows].sort(
    (a, b) => a.windowStart - b.windowStart || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0),
  );
}

function windowCells(
  cells: Map<string, Cell>,
  host: string,
  t: number,
  window: { sizeMs: number; advanceMs: number },
): Cell[] {
  const out: Cell[] = [];
  // Every window start (a multiple of the advance) with start <= t < start + size.
  const last = Math.floor(t / window.advanceMs) * window.advanceMs;
  for (let start = last; start > t - window.sizeMs && start >= 0; start -= window.advanceMs) {
    const key = `${host}\u0000${start}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        packets: 0,
        bytes: 0,
        ports: new Set(),
        hosts: new Set(),
        syn: 0,
        synAck: 0,
        synAckReceived: 0,
        nxdomain: 0,
        responses: [],
      };
      cells.set(key, cell);
    }
    out.push(cell);
  }
  return out;
}
