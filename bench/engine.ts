/**
 * Engine benchmark (`npm run bench -- engine`): the synchronous hot path of a task, compared with
 * hand-written loops doing the same work in the same process and run.
 *   1. stateless chain map -> filter -> mapValues over N records vs a plain loop;
 *   2. hopping windows (5 min / 1 min) computing count + sum + max per key, 10,000 keys, in-memory and
 *      persistent (LMDB) stores, vs a hand-written Map-based windowing loop.
 * Records are fed to a real Task in batches of 1,000 (as the runtimes do) and the sink output is
 * drained after each batch. Prints a table, then one JSON line.
 * Each comparison is warmed up, then timed REPS times alternately; the median of each side is reported.
 * Env: BENCH_STATELESS_RECORDS (default 10M), BENCH_WINDOW_RECORDS (default 5M), BENCH_REPS (default 3,
 * stateless), BENCH_WINDOW_REPS (default 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stats } from '../src/aggregations/index.js';
import { StreamsBuilder } from '../src/dsl/streams-builder.js';
import { windows } from '../src/operators/windows/window-specs.js';
import { defaultStoreFactory } from '../src/runtime/default-store-factory.js';
import type { StreamRecord } from '../src/runtime/record.js';
import { Task } from '../src/runtime/task/task.js';
import type { Topology } from '../src/runtime/topology/topology.js';

const STATELESS_N = Number(process.env.BENCH_STATELESS_RECORDS ?? 10_000_000);
const WINDOW_N = Number(process.env.BENCH_WINDOW_RECORDS ?? 5_000_000);
const KEYS = 10_000;
const BATCH = 1000;
/** StreamsApp's default commit interval. */
const COMMIT_INTERVAL_MS = 1000;
const REPS = Number(process.env.BENCH_REPS ?? 3);
/** Window runs are long (the persistent one especially): one alternating round by default. */
const WINDOW_REPS = Number(process.env.BENCH_WINDOW_REPS ?? 1);

interface Reading {
  name: string;
  records: number;
  seconds: number;
  rps: number;
}

function time(name: string, records: number, fn: () => void): Reading {
  const start = process.hrtime.bigint();
  fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, records, seconds, rps: records / seconds };
}

async function timeAsync(name: string, records: number, fn: () => Promise<void>): Promise<Reading> {
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, records, seconds, rps: records / seconds };
}

async function singleTask(topology: Topology, stateDir: string): Promise<Task> {
  const [subtopology] = topology.subtopologies();
  return Task.create({
    applicationId: 'bench',
    topology,
    subtopology: subtopology!,
    partition: 0,
    stateDir,
    storeFactory: defaultStoreFactory,
    clock: Date.now,
    errors: {},
    deadLetterTopic: 'bench-dead-letters',
  });
}

interface Packet {
  src: string;
  len: number;
}

// Inputs are built once and shared by both sides of each comparison.
const keys = Array.from({ length: KEYS }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
function makeRecords(n: number, stepMs: number): StreamRecord<string, Packet>[] {
  const out = new Array<StreamRecord<string, Packet>>(n);
  for (let i = 0; i < n; i++) {
    const key = keys[(i * 7919) % KEYS]!;
    out[i] = { key, value: { src: key, len: 60 + (i % 1400) }, timestamp: i * stepMs };
  }
  return out;
}

// --- 1. stateless ---------------------------------------------------------------------------

async function statelessTask(): Promise<Task> {
  const b = new StreamsBuilder();
  b.stream<string, Packet>('in')
    .map((k, p) => ({ key: k, value: { src: p.src, len: p.len * 2 } }))
    .filter((_, p) => p.len % 3 !== 0)
    .mapValues((p) => p.len + 1)
    .to('out');
  return singleTask(b.build(), tmpdir());
}

function runStatelessEngine(task: Task, records: StreamRecord<string, Packet>[]): number {
  let outCount = 0;
  for (let i = 0; i < records.length; i += BATCH) {
    const end = Math.min(i + BATCH, records.length);
    task.processBatch('in', records, i, end);
    for (const s of task.drainOutputs().sinks) outCount += s.records.length;
  }
  return outCount;
}

/** The same work by hand: map to a new record, filter, map the value, collect; cleared per batch. */
function runStatelessPlain(records: StreamRecord<string, Packet>[]): number {
  let outCount = 0;
  const out: StreamRecord<string, number>[] = [];
  for (let i = 0; i < records.length; i += BATCH) {
    const end = Math.min(i + BATCH, records.length);
    for (let j = i; j < end; j++) {
      const r = records[j]!;
      const mapped = {
        key: r.key,
        value: { src: r.value.src, len: r.value.len * 2 },
        timestamp: r.timestamp,
        headers: r.headers,
      };
      if (mapped.value.len % 3 === 0) continue;
      out.push({
        key: mapped.key,
        value: mapped.value.len + 1,
        timestamp: mapped.timestamp,
        headers: mapped.headers,
      });
    }
    outCount += out.length;
    out.length = 0;
  }
  return outCount;
}

/** Warm both sides up, then time them alternately REPS times and keep each side's median. */
async function stateless(records: StreamRecord<string, Packet>[]): Promise<[Reading, Reading]> {
  const task = await statelessTask();
  const warm = records.slice(0, Math.min(records.length, 200_000));
  runStatelessEngine(task, warm);
  runStatelessPlain(warm);
  const engine: Reading[] = [];
  const plain: Reading[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    let a = 0;
    let b = 0;
    engine.push(
      time('stateless chain (tributary task)', records.length, () => {
        a = runStatelessEngine(task, records);
      }),
    );
    plain.push(
      time('stateless chain (plain loop)', records.length, () => {
        b = runStatelessPlain(records);
      }),
    );
    if (a !== b) throw new Error(`stateless outputs differ: ${a} vs ${b}`);
  }
  await task.close();
  return [median(engine), median(plain)];
}

function median(readings: Reading[]): Reading {
  const sorted = [...readings].sort((x, y) => x.rps - y.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// --- 2. hopping windows ------------------------------------------------------------------------

const SIZE = 300_000;
const ADVANCE = 60_000;

async function windowed(
  records: StreamRecord<string, Packet>[],
  backend: 'memory' | 'persistent',
  stateDir: string,
) {
  const b = new StreamsBuilder();
  b.stream<string, Packet>('in')
    .groupByKey()
    .windowedBy(windows.hopping({ size: SIZE, advance: ADVANCE, grace: 0 }))
    .aggregate(
      stats.combine({
        count: stats.count<Packet>(),
        bytes: stats.sum((p: Packet) => p.len),
        maxLen: stats.max((p: Packet) => p.len),
      }),
      { store: backend },
    )
    .toStream()
    .to('out');
  const task = await singleTask(b.build(), stateDir);
  let outCount = 0;
  let lastCommit = Date.now();
  const reading = await timeAsync(
    `hopping 5m/1m count+sum+max (${backend} store)`,
    records.length,
    async () => {
      for (let i = 0; i < records.length; i += BATCH) {
        const end = Math.min(i + BATCH, records.length);
        task.processBatch('in', records, i, end);
        for (const s of task.drainOutputs().sinks) outCount += s.records.length;
        // Commit boundary on StreamsApp's default commit interval (1 s): stores flush to disk there.
        if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
          await task.flushStores();
          lastCommit = Date.now();
        }
      }
      await task.flushStores();
    },
  );
  await task.close();
  return { reading, outCount };
}

interface WindowRun {
  reading: Reading;
  outCount: number;
}

/** The same windowing by hand: Map<windowStart, Map<key, acc>>, expiring windows that closed. */
function plainWindowed(records: StreamRecord<string, Packet>[]): { reading: Reading; outCount: number } {
  let outCount = 0;
  const reading = time('hopping 5m/1m count+sum+max (plain Map loop)', records.length, () => {
    const byStart = new Map<number, Map<string, { count: number; bytes: number; maxLen: number }>>();
    let streamTime = 0;
    const sink: unknown[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.timestamp > streamTime) streamTime = r.timestamp;
      for (
        let start = Math.floor(Math.max(0, r.timestamp - SIZE + ADVANCE) / ADVANCE) * ADVANCE;
        start <= r.timestamp;
        start += ADVANCE
      ) {
        let perKey = byStart.get(start);
        if (!perKey) {
          perKey = new Map();
          byStart.set(start, perKey);
          for (const s of byStart.keys()) if (s + SIZE <= streamTime) byStart.delete(s);
        }
        let acc = perKey.get(r.key);
        if (!acc) {
          acc = { count: 0, bytes: 0, maxLen: Number.NEGATIVE_INFINITY };
          perKey.set(r.key, acc);
        }
        acc.count++;
        acc.bytes += r.value.len;
        if (r.value.len > acc.maxLen) acc.maxLen = r.value.len;
        sink.push({
          key: { key: r.key, window: { start, end: start + SIZE } },
          value: { ...acc },
          timestamp: r.timestamp,
        });
      }
      if (sink.length >= BATCH * 5) {
        outCount += sink.length;
        sink.length = 0;
      }
    }
    outCount += sink.length;
  });
  return { reading, outCount };
}

// --- run ---------------------------------------------------------------------------------------

const stateDir = mkdtempSync(join(tmpdir(), 'tributary-bench-engine-'));
try {
  const statelessRecords = makeRecords(STATELESS_N, 1);
  const [statelessEngine, statelessPlain] = await stateless(statelessRecords);
  statelessRecords.length = 0;

  // 5M records 1 ms apart span 83 minutes: windows open, close and expire all along.
  const windowRecords = makeRecords(WINDOW_N, 1);
  plainWindowed(windowRecords.slice(0, 100_000));
  await windowed(windowRecords.slice(0, 100_000), 'memory', mkdtempSync(join(stateDir, 'warm-')));
  const runs: Array<{ plain: WindowRun; mem: WindowRun; disk: WindowRun }> = [];
  for (let rep = 0; rep < WINDOW_REPS; rep++) {
    runs.push({
      plain: plainWindowed(windowRecords),
      mem: await windowed(windowRecords, 'memory', mkdtempSync(join(stateDir, 'mem-'))),
      disk: await windowed(windowRecords, 'persistent', mkdtempSync(join(stateDir, 'disk-'))),
    });
  }
  const pick = (side: 'plain' | 'mem' | 'disk'): WindowRun =>
    runs.map((r) => r[side]).sort((x, y) => x.reading.rps - y.reading.rps)[Math.floor(runs.length / 2)]!;
  const plainWin = pick('plain');
  const memWin = pick('mem');
  const diskWin = pick('disk');
  if (memWin.outCount !== plainWin.outCount || diskWin.outCount !== plainWin.outCount) {
    throw new Error(
      `window outputs differ: plain ${plainWin.outCount}, memory ${memWin.outCount}, persistent ${diskWin.outCount}`,
    );
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const rows = [statelessEngine, statelessPlain, plainWin.reading, memWin.reading, diskWin.reading];
  console.log('bench engine (one process, one run; ratios compare lines measured side by side)\n');
  console.log(
    `${'case'.padEnd(50)} ${'records'.padStart(11)} ${'seconds'.padStart(8)} ${'records/s'.padStart(12)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(50)} ${r.records.toLocaleString('en-US').padStart(11)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.rps).toLocaleString('en-US').padStart(12)}`,
    );
  }
  const result = {
    bench: 'engine',
    stateless_records: STATELESS_N,
    stateless_rps: Math.round(statelessEngine.rps),
    stateless_plain_rps: Math.round(statelessPlain.rps),
    stateless_ratio_to_plain: Number((statelessEngine.rps / statelessPlain.rps).toFixed(3)),
    window_records: WINDOW_N,
    window_keys: KEYS,
    window_plain_rps: Math.round(plainWin.reading.rps),
    window_mem_rps: Math.round(memWin.reading.rps),
    window_mem_ratio_to_plain: Number((memWin.reading.rps / plainWin.reading.rps).toFixed(3)),
    window_persistent_rps: Math.round(diskWin.reading.rps),
    window_persistent_ratio_to_plain: Number((diskWin.reading.rps / plainWin.reading.rps).toFixed(3)),
    peak_rss_mb: Math.round(peakRssMb),
  };
  console.log(
    `\nstateless ratio to plain loop: ${result.stateless_ratio_to_plain}; window (memory) ratio: ${result.window_mem_ratio_to_plain}; window (persistent) ratio: ${result.window_persistent_ratio_to_plain}; peak RSS ${result.peak_rss_mb} MB`,
  );
  console.log(JSON.stringify(result));
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
