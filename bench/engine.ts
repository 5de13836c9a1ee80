/**
 * Engine benchmark (`npm run bench -- engine`): the synchronous hot path of a task, compared with
 * hand-written loops doing the same work in the same process and run.
 *   1. stateless chain map -> filter -> mapValues over N records vs a plain loop;
 *   2. hopping windows (5 min / 1 min) computing count + sum + max per key, 10,000 keys, in-memory and
 *      persistent (LMDB) stores, emit eager and final, vs a hand-written Map-based windowing loop.
 * Records are fed to a real Task in batches of 1,000 (as the runtimes do) and the sink output is
 * drained after each batch; see engine/input.ts for how the input is built (streamed by default).
 * Prints a table, then one JSON line.
 * Env: BENCH_STATELESS_RECORDS (default 10M), BENCH_WINDOW_RECORDS (default 5M), BENCH_REPS (default 3,
 * stateless), BENCH_WINDOW_REPS (default 1), BENCH_INPUT (streamed | resident, default streamed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchInput, type InputMode, KEYS } from './engine/input.js';
import { statelessBench } from './engine/stateless.js';
import { median, type Reading } from './engine/task.js';
import { engineWindows, plainWindows, type WindowCase } from './engine/windows.js';

const STATELESS_N = Number(process.env.BENCH_STATELESS_RECORDS ?? 10_000_000);
const WINDOW_N = Number(process.env.BENCH_WINDOW_RECORDS ?? 5_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
/** Window runs are long (the persistent one especially): one alternating round by default. */
const WINDOW_REPS = Number(process.env.BENCH_WINDOW_REPS ?? 1);
const INPUT_MODE = (process.env.BENCH_INPUT ?? 'streamed') as InputMode;
if (INPUT_MODE !== 'streamed' && INPUT_MODE !== 'resident') {
  throw new Error(`BENCH_INPUT must be "streamed" or "resident", got "${INPUT_MODE}"`);
}

const stateDir = mkdtempSync(join(tmpdir(), 'tributary-bench-engine-'));
const freshDir = (name: string): string => mkdtempSync(join(stateDir, `${name}-`));

/** Alternates the window runs `WINDOW_REPS` times and keeps each one's median; outputs must agree pairwise. */
async function windowBench(input: BenchInput) {
  const cases: Record<string, WindowCase> = {
    memEager: { store: 'memory', emit: 'eager' },
    diskEager: { store: 'persistent', emit: 'eager' },
    memFinal: { store: 'memory', emit: 'final' },
  };
  const readings: Record<string, Reading[]> = {
    plainEager: [],
    plainFinal: [],
    memEager: [],
    diskEager: [],
    memFinal: [],
  };
  for (let rep = 0; rep < WINDOW_REPS; rep++) {
    readings.plainEager!.push(await plainWindows(input, 'eager'));
    for (const [name, c] of Object.entries(cases)) {
      if (name === 'memFinal') readings.plainFinal!.push(await plainWindows(input, 'final'));
      readings[name]!.push(await engineWindows(input, c, freshDir(name)));
    }
  }
  const pick = (name: string): Reading => median(readings[name]!);
  const result = {
    plainEager: pick('plainEager'),
    memEager: pick('memEager'),
    diskEager: pick('diskEager'),
    plainFinal: pick('plainFinal'),
    memFinal: pick('memFinal'),
  };
  const eagerOutputs = [result.plainEager, result.memEager, result.diskEager].map((r) => r.outputs);
  if (new Set(eagerOutputs).size !== 1 || result.plainFinal.outputs !== result.memFinal.outputs) {
    throw new Error(
      `window outputs differ: eager plain/memory/persistent ${eagerOutputs.join('/')}, final plain/memory ${result.plainFinal.outputs}/${result.memFinal.outputs}`,
    );
  }
  return result;
}

const ratio = (a: Reading, b: Reading): number => Number((a.rps / b.rps).toFixed(3));

try {
  const stateless = await statelessBench(
    new BenchInput(STATELESS_N, INPUT_MODE),
    new BenchInput(Math.min(STATELESS_N, 200_000), 'streamed'),
    REPS,
  );
  const warm = new BenchInput(Math.min(WINDOW_N, 100_000), 'streamed');
  await plainWindows(warm, 'eager');
  await engineWindows(warm, { store: 'memory', emit: 'eager' }, freshDir('warm'));
  // 5M records 1 ms apart span 83 minutes: windows open, close and expire all along.
  const win = await windowBench(new BenchInput(WINDOW_N, INPUT_MODE));
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const rows = [
    stateless.engine,
    stateless.plain,
    win.plainEager,
    win.memEager,
    win.diskEager,
    win.plainFinal,
    win.memFinal,
  ];
  console.log(
    `bench engine (one process, one run, ${INPUT_MODE} input; ratios compare lines measured side by side)\n`,
  );
  console.log(
    `${'case'.padEnd(58)} ${'records'.padStart(11)} ${'seconds'.padStart(8)} ${'records/s'.padStart(12)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(58)} ${r.records.toLocaleString('en-US').padStart(11)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.rps).toLocaleString('en-US').padStart(12)}`,
    );
  }
  const result = {
    bench: 'engine',
    input: INPUT_MODE,
    stateless_records: STATELESS_N,
    stateless_rps: Math.round(stateless.engine.rps),
    stateless_plain_rps: Math.round(stateless.plain.rps),
    stateless_ratio_to_plain: ratio(stateless.engine, stateless.plain),
    window_records: WINDOW_N,
    window_keys: KEYS,
    window_plain_rps: Math.round(win.plainEager.rps),
    window_mem_rps: Math.round(win.memEager.rps),
    window_mem_ratio_to_plain: ratio(win.memEager, win.plainEager),
    window_persistent_rps: Math.round(win.diskEager.rps),
    window_persistent_ratio_to_plain: ratio(win.diskEager, win.plainEager),
    window_final_plain_rps: Math.round(win.plainFinal.rps),
    window_final_mem_rps: Math.round(win.memFinal.rps),
    window_final_mem_ratio_to_plain: ratio(win.memFinal, win.plainFinal),
    peak_rss_mb: Math.round(peakRssMb),
  };
  console.log(
    `\nstateless ratio to plain loop: ${result.stateless_ratio_to_plain}; windows (eager) memory ${result.window_mem_ratio_to_plain}, persistent ${result.window_persistent_ratio_to_plain}; windows (final) memory ${result.window_final_mem_ratio_to_plain}; peak RSS ${result.peak_rss_mb} MB`,
  );
  console.log(JSON.stringify(result));
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
