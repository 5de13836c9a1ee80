/**
 * Bench 2: hopping windows (5 min / 1 min) computing count + sum + max per key, a real Task with the
 * in-memory or persistent (LMDB) store vs a hand-written Map-based loop doing the same windowing.
 * Emit 'eager' forwards every window's new result on every update (5 per record); 'final' forwards
 * one result per window when it closes.
 */
import { stats } from '../../src/aggregations/index.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { type EmitMode, windows } from '../../src/operators/windows/window-specs.js';
import type { BenchInput, Packet } from './input.js';
import { drainCount, type Reading, reading, singleTask } from './task.js';

const SIZE = 300_000;
const ADVANCE = 60_000;
/** StreamsApp's default commit interval: stores flush there. */
const COMMIT_INTERVAL_MS = 1000;

/** Which engine run. */
export interface WindowCase {
  store: 'memory' | 'persistent';
  emit: EmitMode;
}

/** The engine: a Task running the windowed aggregation, stores flushed on the commit interval. */
export async function engineWindows(
  input: BenchInput,
  { store, emit }: WindowCase,
  stateDir: string,
): Promise<Reading> {
  const b = new StreamsBuilder();
  b.stream<string, Packet>('in')
    .groupByKey()
    .windowedBy(windows.hopping({ size: SIZE, advance: ADVANCE, grace: 0 }))
    .emit(emit)
    .aggregate(
      stats.combine({
        count: stats.count<Packet>(),
        bytes: stats.sum((p: Packet) => p.len),
        maxLen: stats.max((p: Packet) => p.len),
      }),
      { store },
    )
    .toStream()
    .to('out');
  const task = await singleTask(b.build(), stateDir);
  let outputs = 0;
  let lastCommit = Date.now();
  const seconds = await input.timed(({ records, from, to }) => {
    task.processBatch('in', records, from, to);
    outputs += drainCount(task);
    if (Date.now() - lastCommit < COMMIT_INTERVAL_MS) return;
    lastCommit = Date.now();
    return task.flushStores();
  });
  const flushStart = process.hrtime.bigint();
  await task.flushStores();
  const flushSeconds = Number(process.hrtime.bigint() - flushStart) / 1e9;
  await task.close();
  return reading(
    `hopping 5m/1m count+sum+max (${store} store, ${emit})`,
    input.size,
    seconds + flushSeconds,
    outputs,
  );
}

interface Acc {
  count: number;
  bytes: number;
  maxLen: number;
}

/**
 * The same windowing by hand: Map<windowStart, Map<key, acc>>. Eager pushes a copy of the window's
 * accumulator per update; final pushes each window's accumulators once stream time passes its end.
 * Output is collected and cleared per batch, as the engine's is drained.
 */
export async function plainWindows(input: BenchInput, emit: EmitMode): Promise<Reading> {
  const byStart = new Map<number, Map<string, Acc>>();
  let streamTime = 0;
  let outputs = 0;
  const sink: unknown[] = [];
  const emitClosed = (): void => {
    for (const [start, perKey] of byStart) {
      if (start + SIZE > streamTime) break; // starts are inserted in ascending order
      if (emit === 'final') {
        const window = { start, end: start + SIZE };
        for (const [key, acc] of perKey)
          sink.push({ key: { key, window }, value: acc, timestamp: start + SIZE - 1 });
      }
      byStart.delete(start);
    }
  };
  const seconds = await input.timed(({ records, from, to }) => {
    for (let i = from; i < to; i++) {
      const r = records[i]!;
      if (r.timestamp > streamTime) {
        streamTime = r.timestamp;
        emitClosed();
      }
      for (
        let start = Math.floor(Math.max(0, r.timestamp - SIZE + ADVANCE) / ADVANCE) * ADVANCE;
        start <= r.timestamp;
        start += ADVANCE
      ) {
        let perKey = byStart.get(start);
        if (!perKey) {
          perKey = new Map();
          byStart.set(start, perKey);
        }
        let acc = perKey.get(r.key);
        if (!acc) {
          acc = { count: 0, bytes: 0, maxLen: Number.NEGATIVE_INFINITY };
          perKey.set(r.key, acc);
        }
        acc.count++;
        acc.bytes += r.value.len;
        if (r.value.len > acc.maxLen) acc.maxLen = r.value.len;
        if (emit === 'eager') {
          sink.push({
            key: { key: r.key, window: { start, end: start + SIZE } },
            value: { ...acc },
            timestamp: r.timestamp,
          });
        }
      }
    }
    outputs += sink.length;
    sink.length = 0;
  });
  return reading(`hopping 5m/1m count+sum+max (plain Map loop, ${emit})`, input.size, seconds, outputs);
}
