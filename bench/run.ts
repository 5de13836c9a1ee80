/**
 * Runs the benches: `npm run bench` runs all of them, `npm run bench -- engine kafka-produce` the named
 * ones (name = file bench/<name>.ts), `npm run bench -- --list` lists them.
 *
 * Each bench runs in its own Node process (tsx), so its memory figures are its own and one bench's
 * heap cannot slow the next. Its output passes through as it comes; its last stdout line must be its
 * JSON figures. A summary table follows. Benches that need Kafka share one broker started on first
 * use (unless KAFKA_BROKERS is set), which is stopped at the end.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopKafka } from '../scripts/kafka/broker.js';
import { type BenchFile, discoverBenches, isHelperModule } from './harness/discover.js';
import { BENCH_KAFKA_NAME, benchKafkaRunning, SHARED_KAFKA_ENV } from './harness/kafka.js';
import { printTable, type TableRow } from './harness/table.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
/** The longest stdout line kept while looking for the JSON figures; longer lines are not figures. */
const MAX_LINE_CHARS = 1 << 20;

interface Outcome {
  bench: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  figures: Record<string, unknown> | undefined;
}

/** Runs one bench in a child process, echoing its output, and keeps its last stdout line if it is JSON. */
function runBench(bench: BenchFile, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench.file], {
      stdio: ['inherit', 'pipe', 'inherit'],
      env,
    });
    let partial = '';
    let lastLine = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      if (partial.length > MAX_LINE_CHARS) partial = '';
      for (const line of lines) if (line.trim() !== '') lastLine = line;
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      if (partial.trim() !== '') lastLine = partial;
      resolve({
        bench: bench.name,
        exitCode,
        signal,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        figures: parseFigures(lastLine),
      });
    });
  });
}

function parseFigures(line: string): Record<string, unknown> | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function verdict(outcome: Outcome): string {
  if (outcome.signal) return `killed (${outcome.signal})`;
  if (outcome.exitCode !== 0) return `failed (exit ${outcome.exitCode})`;
  return outcome.figures ? 'ok' : 'no JSON line at the end';
}

/** A command line naming no known bench: reported with the list of benches, exit code 2. */
class UsageError extends Error {}

/** The benches to run for the command line: all, or the named ones in the order given. */
function selectBenches(args: string[], available: BenchFile[]): BenchFile[] {
  if (args.length === 0) return available;
  const list = available.map((b) => b.name).join(', ') || '(none)';
  const selected: BenchFile[] = [];
  for (const name of args) {
    const bench = available.find((b) => b.name === name || `${b.name}.ts` === name);
    if (!bench) {
      const why = isHelper(`${benchDir}/${name}.ts`)
        ? `bench/${name}.ts is a helper module (it exports), not a bench`
        : `No bench "${name}"`;
      throw new UsageError(`${why}. Available benches: ${list}.\nRun one with: npm run bench -- <name>`);
    }
    selected.push(bench);
  }
  return selected;
}

function isHelper(file: string): boolean {
  try {
    return isHelperModule(file);
  } catch {
    return false; // no such file
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const available = discoverBenches(benchDir);
  if (args.includes('--list')) {
    for (const bench of available) console.log(bench.name);
    return 0;
  }
  const selected = selectBenches(args, available);
  const kafkaWasRunning = benchKafkaRunning();
  const env = { ...process.env, [SHARED_KAFKA_ENV]: '1' };
  let interrupted = false;
  // Ctrl-C reaches the bench too (same process group); let it end, then stop the shared broker.
  process.on('SIGINT', () => {
    interrupted = true;
  });

  const outcomes: Outcome[] = [];
  try {
    for (const bench of selected) {
      console.log(`\n=== bench ${bench.name} (${bench.file}) ===\n`);
      outcomes.push(await runBench(bench, env));
      if (interrupted) break;
    }
  } finally {
    if (!kafkaWasRunning && benchKafkaRunning()) {
      await stopKafka({ name: BENCH_KAFKA_NAME, log: (line) => console.error(`[kafka] ${line}`) });
    }
  }

  const rows: TableRow[] = outcomes.map((o) => {
    const row: TableRow = { bench: o.bench, result: verdict(o), seconds: Math.round(o.seconds * 10) / 10 };
    const rss = o.figures?.peakRssMb;
    if (typeof rss === 'number') row['peak RSS MiB'] = rss;
    return row;
  });
  console.log('');
  printTable(`benches run: ${outcomes.length} of ${selected.length}`, rows);
  return interrupted ? 130 : outcomes.every((o) => verdict(o) === 'ok') ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
