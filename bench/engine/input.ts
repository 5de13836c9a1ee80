/**
 * The engine bench's input: N packet records over KEYS source addresses, 1 ms apart, delivered in
 * batches of BATCH as a runtime delivers them. Both sides of every comparison read the same records.
 *
 * 'streamed' (the default) builds each batch just before it is handed over, into fresh objects, as a
 * source hands over records it just read and drops them after. 'resident' builds all N records up
 * front and hands over slices, the method of the first two sessions: 10M resident records are about
 * 1 GB of old-generation heap, which every major GC of either side then marks (BENCH_INPUT=resident).
 */
import type { StreamRecord } from '../../src/runtime/record.js';

/** A packet as the bench's topologies see it. */
export interface Packet {
  src: string;
  len: number;
}

/** The records a batch hands over: records[from..to). */
export interface Batch {
  readonly records: StreamRecord<string, Packet>[];
  readonly from: number;
  readonly to: number;
}

/** How the input is held: see the module comment. */
export type InputMode = 'streamed' | 'resident';

/** Records per batch, as the runtimes hand them to a task. */
export const BATCH = 1000;
/** Distinct keys (source addresses). */
export const KEYS = 10_000;

const keys = Array.from({ length: KEYS }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

function packetRecord(i: number): StreamRecord<string, Packet> {
  const key = keys[(i * 7919) % KEYS]!;
  return { key, value: { src: key, len: 60 + (i % 1400) }, timestamp: i };
}

/** The first `n` records, deliverable in batches any number of times. */
export class BenchInput {
  private readonly resident: StreamRecord<string, Packet>[] | undefined;
  private readonly buffer: StreamRecord<string, Packet>[] = new Array(BATCH);

  constructor(
    readonly size: number,
    readonly mode: InputMode,
  ) {
    if (mode === 'resident') this.resident = Array.from({ length: size }, (_, i) => packetRecord(i));
  }

  /**
   * Calls `work` with each batch in order and returns the seconds spent inside `work` only (building
   * a streamed batch is not timed). `work` may return a promise (a store flush), which is awaited.
   */
  async timed(work: (batch: Batch) => void | Promise<void>): Promise<number> {
    let ns = 0n;
    for (let from = 0; from < this.size; from += BATCH) {
      const to = Math.min(from + BATCH, this.size);
      const batch = this.batch(from, to);
      const start = process.hrtime.bigint();
      const pending = work(batch);
      if (pending !== undefined) await pending;
      ns += process.hrtime.bigint() - start;
    }
    return Number(ns) / 1e9;
  }

  private batch(from: number, to: number): Batch {
    if (this.resident !== undefined) return { records: this.resident, from, to };
    const buffer = this.buffer;
    for (let i = from; i < to; i++) buffer[i - from] = packetRecord(i);
    return { records: buffer, from: 0, to: to - from };
  }
}
