/**
 * State store bench: the window workload of a hopping-window aggregation (5 min windows every
 * 1 min, so 5 read-modify-writes per record) over 10,000 source keys, with a flush every 10,000
 * records, on the in-memory store, the LMDB persistent store and a RocksDB (rocksdb-native)
 * store built on the same cache. Each run is its own child process, so peak RSS is per run.
 *
 *   npx tsx bench/stores.ts [--records 1000000] [--only memory,lmdb,rocksdb]
 *
 * Prints a table, then one JSON line with every figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryWindowStore } from '../src/state/memory-window-store.js';
import { PersistentWindowStore } from '../src/state/persistent-window-store.js';
import { RocksWindowStore } from './stores-rocksdb.js';

const MINUTE = 60_000;
const KEYS = 10_000;
const WINDOWS_PER_RECORD = 5;
const RETENTION_MS = 5 * MINUTE + 30_000; // window size + grace
const FLUSH_EVERY = 10_000;
/** Event-time rate: each key sees about 10 records a minute, so ~6 windows x 10,000 keys are live. */
const RECORDS_PER_MINUTE = 100_000;

interface Acc {
  count: number;
  bytes: number;
  maxLength: number;
}

/** The store as the workload sees it; only the RocksDB store ever returns Promises. */
interface WorkloadStore {
  fetch(key: string, windowStart: number): Acc | undefined | Promise<Acc | undefined>;
  put(key: string, value: Acc, windowStart: number): undefined | Promise<void> | void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Run {
  readonly backend: 'memory' | 'lmdb' | 'lmdb-nosync' | 'rocksdb';
  readonly cacheMaxEntries: number;
  /** Caps the record count of a run too slow to do them all (rates stay comparable). */
  readonly maxRecords?: number;
}

const RUNS: readonly Run[] = [
  { backend: 'memory', cacheMaxEntries: 0 },
  { backend: 'lmdb', cacheMaxEntries: 100_000 },
  { backend: 'lmdb-nosync', cacheMaxEntries: 100_000 },
  { backend: 'rocksdb', cacheMaxEntries: 100_000 },
  { backend: 'lmdb', cacheMaxEntries: 10_000 },
  // Every cache miss awaits a RocksDB read: about 1,000 records/s, so a shorter run.
  { backend: 'rocksdb', cacheMaxEntries: 10_000, maxRecords: 100_000 },
];

interface Result {
  backend: string;
  cacheMaxEntries: number | null;
  records: number;
  seconds: number;
  /** User + system CPU time of the run: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  recordsPerSecond: number;
  recordsPerCpuSecond: number;
  readModifyWritesPerSecond: number;
  peakRssMb: number;
  /** Count in one window read back at the end: equal across backends when they agree. */
  check: number;
}

async function openStore(run: Run, directory: string): Promise<WorkloadStore> {
  switch (run.backend) {
    case 'memory':
      return new MemoryWindowStore<string, Acc>('bench', RETENTION_MS);
    case 'lmdb':
    case 'lmdb-nosync':
      return new PersistentWindowStore<string, Acc>('bench', directory, RETENTION_MS, undefined, {
        cacheMaxEntries: run.cacheMaxEntries,
        durable: run.backend === 'lmdb',
      });
    case 'rocksdb': {
      const store = new RocksWindowStore<Acc>(directory, RETENTION_MS, run.cacheMaxEntries);
      await store.ready();
      return store;
    }
  }
}

/** mulberry32: a fixed sequence of keys and sizes for every backend. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runWorkload(run: Run, records: number): Promise<Result> {
  const directory = mkdtempSync(join(tmpdir(), 'tributary-bench-stores-'));
  const keys = Array.from({ length: KEYS }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const next = random(42);
  const store = await openStore(run, directory);
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < records; i++) {
    const key = keys[Math.floor(next() * KEYS)]!;
    const length = 40 + Math.floor(next() * 1460);
    const time = Math.floor((i * MINUTE) / RECORDS_PER_MINUTE);
    const newest = time - (time % MINUTE);
    for (let w = 0; w < WINDOWS_PER_RECORD; w++) {
      const start = newest - w * MINUTE;
      let found = store.fetch(key, start);
      if (found instanceof Promise) found = await found;
      const acc = found ?? { count: 0, bytes: 0, maxLength: 0 };
      acc.count++;
      acc.bytes += length;
      if (length > acc.maxLength) acc.maxLength = length;
      const written = store.put(key, acc, start);
      if (written instanceof Promise) await written;
    }
    if ((i + 1) % FLUSH_EVERY === 0) await store.flush();
  }
  await store.flush();
  const seconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Read one window back so the backends can be seen to agree.
  const lastTime = Math.floor(((records - 1) * MINUTE) / RECORDS_PER_MINUTE);
  const last = store.fetch(keys[0]!, lastTime - (lastTime % MINUTE) - MINUTE);
  const check = (last instanceof Promise ? await last : last)?.count ?? 0;
  await store.close();
  rmSync(directory, { recursive: true, force: true });
  return {
    backend: run.backend,
    cacheMaxEntries: run.backend === 'memory' ? null : run.cacheMaxEntries,
    records,
    seconds: round(seconds, 2),
    cpuSeconds: round(cpuSeconds, 2),
    recordsPerSecond: Math.round(records / seconds),
    recordsPerCpuSecond: Math.round(records / cpuSeconds),
    readModifyWritesPerSecond: Math.round((records * WINDOWS_PER_RECORD) / seconds),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    check,
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const records = Number(argument('records') ?? 1_000_000);
  const child = argument('child');
  if (child !== undefined) {
    const run = JSON.parse(child) as Run;
    process.stdout.write(`${JSON.stringify(await runWorkload(run, records))}\n`);
    return;
  }
  const only = argument('only')?.split(',');
  const self = fileURLToPath(import.meta.url);
  const results: Result[] = [];
  for (const run of RUNS) {
    if (only !== undefined && !only.some((name) => run.backend.startsWith(name))) continue;
    const runRecords = Math.min(records, run.maxRecords ?? records);
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', self, '--child', JSON.stringify(run), '--records', String(runRecords)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const result = JSON.parse(output.trim().split('\n').pop()!) as Result;
    results.push(result);
    process.stderr.write(`done: ${result.backend} cache=${result.cacheMaxEntries ?? '-'}\n`);
  }
  printTable(results);
  process.stdout.write(`${JSON.stringify({ bench: 'stores', records, keys: KEYS, results })}\n`);
}

function printTable(results: readonly Result[]): void {
  const header = [
    'backend',
    'cache entries',
    'records',
    'records/s',
    'RMW/s',
    'records/cpu-s',
    'seconds',
    'peak RSS MB',
    'check',
  ];
  const rows = results.map((r) => [
    r.backend,
    r.cacheMaxEntries === null ? '-' : String(r.cacheMaxEntries),
    r.records.toLocaleString('en-US'),
    r.recordsPerSecond.toLocaleString('en-US'),
    r.readModifyWritesPerSecond.toLocaleString('en-US'),
    r.recordsPerCpuSecond.toLocaleString('en-US'),
    r.seconds.toFixed(2),
    r.peakRssMb.toFixed(1),
    String(r.check),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  console.log(
    `window workload: ${KEYS.toLocaleString('en-US')} keys, ` +
      `hopping 5m/1m (${WINDOWS_PER_RECORD} read-modify-writes per record), flush every ${FLUSH_EVERY.toLocaleString('en-US')}`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

await main();
