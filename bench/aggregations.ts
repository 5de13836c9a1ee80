/**
 * Aggregations micro-benchmark (`npx tsx bench/aggregations.ts`): the cost of one `add` for each
 * helper, the cost of `result` and `merge`, and the size of an accumulator serialized with msgpackr
 * after 100k values. Input: 1M synthetic packets (length, RTT, one of 5,000 source IPs, one of 20,000
 * ports), folded into ONE accumulator per helper, so the figures are the per-value hot-path cost.
 * Each helper is warmed up, then timed REPS times; the median is reported. Prints a table, then one
 * JSON line. The machine is shared: compare rows with the baseline row of the same run. Env: BENCH_AGG_VALUES (default 1M), BENCH_REPS (default 3).
 */
import { pack } from 'msgpackr';
import { type Aggregator, stats } from '../src/aggregations/index.js';

interface Packet {
  len: number;
  rttMs: number;
  src: string;
  dstPort: number;
}

const N = Number(process.env.BENCH_AGG_VALUES ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);

let seed = 1;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
  return (seed >>> 0) / 4294967296;
}
const sources = Array.from({ length: 5000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`);
const packets: Packet[] = Array.from({ length: N }, () => ({
  len: 60 + Math.floor(random() * 1400),
  rttMs: Math.exp(random() * 6),
  src: sources[Math.floor(random() * sources.length)]!,
  dstPort: Math.floor(random() * 20_000),
}));

// Not an aggregation: a hand-written sum of p.len, to show what reading the packets alone costs.
const baseline: Aggregator<Packet, number, number> = {
  init: () => 0,
  add: (acc, p) => acc + p.len,
  merge: (a, b) => a + b,
  result: (acc) => acc,
};

const helpers: Record<string, Aggregator<Packet, unknown, unknown>> = {
  'baseline (hand-written sum)': baseline as Aggregator<Packet, unknown, unknown>,
  count: stats.count<Packet>(),
  sum: stats.sum((p: Packet) => p.len),
  min: stats.min((p: Packet) => p.rttMs),
  max: stats.max((p: Packet) => p.rttMs),
  avg: stats.avg((p: Packet) => p.rttMs),
  'distinctCount src (5k, sketch)': stats.distinctCount((p: Packet) => p.src),
  'distinctCount port (20k, sketch)': stats.distinctCount((p: Packet) => p.dstPort),
  'distinctCount src (exactUpTo 10k)': stats.distinctCount((p: Packet) => p.src, { exactUpTo: 10_000 }),
  'percentiles p50/p95/p99 (δ=100)': stats.percentiles((p: Packet) => p.rttMs),
  'combine(count, sum, max, avg, p)': stats.combine({
    count: stats.count<Packet>(),
    bytes: stats.sum((p: Packet) => p.len),
    slowest: stats.max((p: Packet) => p.rttMs),
    mean: stats.avg((p: Packet) => p.rttMs),
    rtt: stats.percentiles((p: Packet) => p.rttMs),
  }),
};

interface Row {
  helper: string;
  nsPerAdd: number;
  microsPerResult: number;
  microsPerMerge: number;
  packedBytes: number;
}

function fold(agg: Aggregator<Packet, unknown, unknown>, count: number): unknown {
  let acc = agg.init();
  for (let i = 0; i < count; i++) acc = agg.add(acc, packets[i]!);
  return acc;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function seconds(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const rows: Row[] = [];
for (const [helper, agg] of Object.entries(helpers)) {
  fold(agg, Math.min(N, 200_000)); // warm-up
  const addTimes: number[] = [];
  for (let r = 0; r < REPS; r++) addTimes.push(seconds(() => fold(agg, N)));
  const sample = fold(agg, Math.min(N, 100_000));
  const other = fold(agg, Math.min(N, 50_000));
  const resultRuns = 1000;
  const resultTime = seconds(() => {
    for (let i = 0; i < resultRuns; i++) agg.result(sample);
  });
  const mergeRuns = 200;
  const targets = Array.from({ length: mergeRuns }, () => structuredClone(sample));
  const mergeTime = seconds(() => {
    for (let i = 0; i < mergeRuns; i++) agg.merge(targets[i], other);
  });
  rows.push({
    helper,
    nsPerAdd: (median(addTimes) / N) * 1e9,
    microsPerResult: (resultTime / resultRuns) * 1e6,
    microsPerMerge: (mergeTime / mergeRuns) * 1e6,
    packedBytes: pack(sample).length,
  });
}

console.log(`aggregations: ${N.toLocaleString('en')} packets folded into one accumulator, median of ${REPS}`);
console.log('helper                               ns/add   µs/result  µs/merge  msgpack bytes (100k values)');
for (const row of rows) {
  console.log(
    `${row.helper.padEnd(36)} ${row.nsPerAdd.toFixed(1).padStart(7)} ${row.microsPerResult.toFixed(1).padStart(10)} ` +
      `${row.microsPerMerge.toFixed(1).padStart(9)} ${String(row.packedBytes).padStart(14)}`,
  );
}
console.log(JSON.stringify({ bench: 'aggregations', values: N, reps: REPS, node: process.version, rows }));
