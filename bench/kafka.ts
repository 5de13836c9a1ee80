/**
 * Kafka side-by-side bench (`npm run bench -- kafka`): tributary vs Kafka Streams vs a bare kafkajs loop,
 * on the same local broker, input and topology: filter (drop ARP) -> hopping-window count by key (5 min /
 * 1 min, grace 30 s, over the event time in the JSON value) -> output topic. Each system runs in its own
 * process (bench/peers/), one after another, at-least-once with a 1 s commit interval; Kafka Streams with
 * its record cache off (every count update is emitted, as tributary's eager windows do), one stream thread,
 * RocksDB store and changelog (its defaults); tributary with its default (memory) store.
 *
 * Phases: (1) correctness: each topology peer's final counts on BENCH_KAFKA_VERIFY_RECORDS (20,000) records
 * are compared with a reference computed here; (2) throughput: BENCH_KAFKA_RECORDS (2,000,000) JSON records
 * of ~200 B on 6 partitions, read from the beginning by a fresh application id; records/s = input records
 * / (time from the first record processed to the group's committed offsets reaching the end); (3) latency:
 * BENCH_KAFKA_RATE (5,000) records/s for BENCH_KAFKA_SECONDS (20) s, producer timestamp -> output seen by a
 * consumer, first BENCH_KAFKA_WARM_UP_S (5) s not measured (each system starts cold, in a new process); "drain" is the time from the last input sent to the last output seen (a
 * system that cannot sustain the rate shows seconds there, and its percentiles then measure its backlog).
 * BENCH_KAFKA_COMMIT_INTERVAL_MS changes the commit interval of every system (default 1,000).
 * BENCH_KAFKA_PHASES limits the phases (verify,throughput,latency); BENCH_KAFKA_SYSTEMS limits the systems (kafka-streams,tributary,ceiling); BENCH_KAFKA_STREAMS_CACHE_BYTES
 * turns Kafka Streams' record cache on (default 0: off, so both topologies emit every update);
 * BENCH_KAFKA_STREAMS_STORE=memory and BENCH_KAFKA_STREAMS_CHANGELOG=off move Kafka Streams off its
 * defaults (RocksDB, logged) towards tributary's; BENCH_KAFKA_TRIBUTARY_STORE=persistent the other way.
 * Uses KAFKA_BROKERS, or starts a broker (.kafka/run/bench). Prints a table, then one JSON line.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Admin, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { peakRssMb, printJsonLine, printTable, type TableRow, withBenchKafka } from './harness/index.js';
import { compareCounts, firstEventMsForRun, referenceCounts } from './harness/kafka-bench-data.js';
import { LatencyRecorder, type LatencySummary, producePaced } from './harness/kafka-latency.js';
import {
  buildJavaPeer,
  type PeerKind,
  PeerProcess,
  type PeerRun,
  PeerUnavailable,
} from './harness/kafka-peer.js';
import { committedTotal, produceBenchInput, readFinalCounts, topicSize } from './harness/kafka-topics.js';

const RECORDS = Number(process.env.BENCH_KAFKA_RECORDS ?? 2_000_000);
const VERIFY_RECORDS = Number(process.env.BENCH_KAFKA_VERIFY_RECORDS ?? 20_000);
const RATE = Number(process.env.BENCH_KAFKA_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_KAFKA_SECONDS ?? 20);
const PHASES = (process.env.BENCH_KAFKA_PHASES ?? 'verify,throughput,latency').split(',');
const SYSTEMS = (process.env.BENCH_KAFKA_SYSTEMS ?? 'kafka-streams,tributary,ceiling').split(
  ',',
) as PeerKind[];
const PARTITIONS = 6;
const COMMIT_INTERVAL_MS = Number(process.env.BENCH_KAFKA_COMMIT_INTERVAL_MS ?? 1000);
const WARM_UP_MS = Number(process.env.BENCH_KAFKA_WARM_UP_S ?? 5) * 1000;
const KAFKA_STREAMS_CACHE_BYTES = Number(process.env.BENCH_KAFKA_STREAMS_CACHE_BYTES ?? 0);
const KAFKA_STREAMS_STORE = process.env.BENCH_KAFKA_STREAMS_STORE ?? 'rocksdb';
const KAFKA_STREAMS_CHANGELOG = process.env.BENCH_KAFKA_STREAMS_CHANGELOG ?? 'on';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts', 'bench-kafka');
function artifactsDir(): string {
  mkdirSync(artifacts, { recursive: true });
  return artifacts;
}
const log = (line: string) => console.error(`[bench kafka] ${line}`);

interface Throughput {
  recordsPerSec: number;
  seconds: number;
  secondsWithStartup: number;
  outputs: number;
}

/** What happened to one system: figures, or why it has none. */
interface SystemResult {
  verify?: string;
  throughput?: Throughput;
  latency?: LatencySummary;
  unavailable?: string;
}

function checkSettings(): void {
  const whole = (n: number) => Number.isInteger(n) && n > 0;
  if (!(Number.isInteger(KAFKA_STREAMS_CACHE_BYTES) && KAFKA_STREAMS_CACHE_BYTES >= 0))
    throw new Error(
      `BENCH_KAFKA_STREAMS_CACHE_BYTES must be a whole number of bytes, got ${KAFKA_STREAMS_CACHE_BYTES}.`,
    );
  if (
    !['rocksdb', 'memory'].includes(KAFKA_STREAMS_STORE) ||
    !['on', 'off'].includes(KAFKA_STREAMS_CHANGELOG)
  )
    throw new Error(
      `BENCH_KAFKA_STREAMS_STORE must be rocksdb or memory and BENCH_KAFKA_STREAMS_CHANGELOG on or off; got ` +
        `${KAFKA_STREAMS_STORE} and ${KAFKA_STREAMS_CHANGELOG}.`,
    );
  if (!(whole(RECORDS) && whole(VERIFY_RECORDS) && RATE > 0 && SECONDS > 0)) {
    throw new Error(
      'BENCH_KAFKA_RECORDS and BENCH_KAFKA_VERIFY_RECORDS must be positive whole numbers, BENCH_KAFKA_RATE ' +
        `and BENCH_KAFKA_SECONDS positive; got ${RECORDS}, ${VERIFY_RECORDS}, ${RATE}, ${SECONDS}.`,
    );
  }
  const phases = ['verify', 'throughput', 'latency'];
  if (PHASES.some((p) => !phases.includes(p)))
    throw new Error(`BENCH_KAFKA_PHASES must list phases of ${phases.join(',')}; got ${PHASES.join(',')}.`);
  const known: PeerKind[] = ['kafka-streams', 'tributary', 'ceiling'];
  const unknown = SYSTEMS.filter((s) => !known.includes(s));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_KAFKA_SYSTEMS names unknown systems ${unknown.join(', ')}; use ${known.join(',')}.`,
    );
}

/** One bench run: its broker clients, a name prefix for its topics and application ids, its state folder. */
class BenchRun {
  readonly prefix = `bench-kafka-${Date.now()}`;
  // In the git-ignored .artifacts/, not the OS temp folder (Kafka Streams warns that it may be cleared).
  readonly stateRoot = mkdtempSync(join(artifactsDir(), 'kafka-state-'));
  private step = 0;

  constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
    readonly brokers: string[],
  ) {}

  /** Creates a fresh topic (time retention off: inputs are replayed from the start). */
  async topic(name: string): Promise<string> {
    const topic = `${this.prefix}-${name}`;
    await this.admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, configEntries: [{ name: 'retention.ms', value: '-1' }] }],
      waitForLeaders: true,
    });
    return topic;
  }

  /** Starts `kind` on `input` with a fresh application id and output topic. */
  async startPeer(
    kind: PeerKind,
    input: string,
    phase: string,
  ): Promise<{ peer: PeerProcess; run: PeerRun }> {
    const applicationId = `${this.prefix}-${phase}-${kind}-${this.step++}`;
    const run: PeerRun = {
      brokers: this.brokers,
      input,
      output: await this.topic(`${phase}-${kind}-out`),
      applicationId,
      stateDir: join(this.stateRoot, applicationId),
      commitIntervalMs: COMMIT_INTERVAL_MS,
    };
    return { peer: new PeerProcess(kind, run), run };
  }

  /** Waits until the group of `run` committed `records` input offsets; returns when it saw that. */
  async committedAll(peer: PeerProcess, run: PeerRun, records: number, timeoutMs: number): Promise<number> {
    let lastReport = Date.now();
    await peer.waitUntil(
      `${records} committed input records`,
      async () => {
        const done = await committedTotal(this.admin, run.applicationId, run.input);
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          log(
            `${peer.kind}: ${done.toLocaleString('en-US')} of ${records.toLocaleString('en-US')} committed`,
          );
        }
        return done >= records;
      },
      timeoutMs,
    );
    return Date.now();
  }

  /** Deletes every topic of this run (inputs, outputs, the peers' internal topics) and the state folder. */
  async cleanUp(): Promise<void> {
    const topics = (await this.admin.listTopics()).filter((t) => t.startsWith(this.prefix));
    if (topics.length > 0) await this.admin.deleteTopics({ topics }).catch(() => {});
    rmSync(this.stateRoot, { recursive: true, force: true });
  }
}

/** Phase 1: the peer's final counts on a small input equal the reference. */
async function verify(bench: BenchRun, kind: PeerKind, input: string, firstEventMs: number): Promise<string> {
  const { peer, run } = await bench.startPeer(kind, input, 'verify');
  try {
    await peer.whenRunning();
    await bench.committedAll(peer, run, VERIFY_RECORDS, 180_000);
  } finally {
    await peer.stop();
  }
  const outputs = await topicSize(bench.admin, run.output);
  const { counts, records } = await readFinalCounts(bench.kafka, run.output, outputs);
  const { mismatches, examples } = compareCounts(referenceCounts(firstEventMs, VERIFY_RECORDS), counts);
  const verdict =
    mismatches === 0
      ? `ok (${counts.size} windows, ${records} outputs)`
      : `${mismatches} of ${counts.size} windows wrong, e.g. ${examples.join('; ')}`;
  log(`${kind} correctness on ${VERIFY_RECORDS} records: ${verdict}`);
  return verdict;
}

/** Phase 2: records/s over the whole input, from the first record processed to the last offset committed. */
async function throughput(bench: BenchRun, kind: PeerKind, input: string): Promise<Throughput> {
  const { peer, run } = await bench.startPeer(kind, input, 'throughput');
  let doneAt: number;
  try {
    await peer.whenRunning();
    doneAt = await bench.committedAll(peer, run, RECORDS, Math.max(600_000, RECORDS));
  } finally {
    await peer.stop();
  }
  const first = peer.firstRecordAt ?? peer.spawnedAt;
  const seconds = (doneAt - first) / 1000;
  const result = {
    recordsPerSec: RECORDS / seconds,
    seconds,
    secondsWithStartup: (doneAt - peer.spawnedAt) / 1000,
    outputs: await topicSize(bench.admin, run.output),
  };
  log(
    `${kind}: ${Math.round(result.recordsPerSec).toLocaleString('en-US')} records/s (${seconds.toFixed(1)} s)`,
  );
  return result;
}

/** Phase 3: end-to-end latency at a fixed rate, on an input topic of its own. */
async function latency(bench: BenchRun, kind: PeerKind): Promise<LatencySummary> {
  const input = await bench.topic(`latency-${kind}-in`);
  const { peer, run } = await bench.startPeer(kind, input, 'latency');
  const recorder = new LatencyRecorder(bench.kafka, run.output, PARTITIONS);
  try {
    await peer.whenRunning();
    await recorder.start();
    recorder.measureFromMs = Date.now() + WARM_UP_MS;
    await producePaced(bench.producer, input, RATE, SECONDS);
    recorder.inputEndedAt = Date.now();
    await recorder.stopWhenQuiet(3000, 60_000);
  } finally {
    await peer.stop();
  }
  const summary = recorder.summary();
  log(`${kind}: latency p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms over ${summary.samples} outputs`);
  return summary;
}

/** Runs `phase` for a system unless it already proved unavailable; records the reason when it is. */
async function attempt<T>(result: SystemResult, phase: () => Promise<T>): Promise<T | undefined> {
  if (result.unavailable) return undefined;
  try {
    return await phase();
  } catch (error) {
    // A peer that cannot run, fails or times out costs its figures, not the other systems' ones.
    const message = error instanceof Error ? error.message : String(error);
    result.unavailable = error instanceof PeerUnavailable ? message : `failed: ${message}`;
    log(`unavailable: ${result.unavailable}`);
    return undefined;
  }
}

async function runAll(brokers: string[]): Promise<Map<PeerKind, SystemResult>> {
  if (SYSTEMS.includes('kafka-streams')) buildJavaPeer(log);
  PeerProcess.kafkaStreamsCacheBytes = KAFKA_STREAMS_CACHE_BYTES;
  PeerProcess.kafkaStreamsStore = KAFKA_STREAMS_STORE === 'memory' ? 'memory' : 'rocksdb';
  PeerProcess.kafkaStreamsChangelog = KAFKA_STREAMS_CHANGELOG !== 'off';
  const kafka = new Kafka({ clientId: 'bench-kafka', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await admin.connect();
  await producer.connect();
  const bench = new BenchRun(kafka, admin, producer, brokers);
  const results = new Map<PeerKind, SystemResult>(SYSTEMS.map((s) => [s, {}]));
  try {
    const firstEventMs = firstEventMsForRun();
    if (PHASES.includes('verify')) {
      const verifyInput = await bench.topic('verify-in');
      await produceBenchInput(producer, verifyInput, firstEventMs, VERIFY_RECORDS);
      for (const [kind, result] of results) {
        // The ceiling has no topology: it copies records, there are no counts to check.
        if (kind === 'ceiling') continue;
        result.verify = await attempt(result, () => verify(bench, kind, verifyInput, firstEventMs));
      }
    }

    if (PHASES.includes('throughput')) await throughputPhase(bench, results, firstEventMs);
    if (PHASES.includes('latency'))
      for (const [kind, result] of results)
        result.latency = await attempt(result, () => latency(bench, kind));
  } finally {
    await producer.disconnect();
    await bench.cleanUp();
    await admin.disconnect();
  }
  return results;
}

/** Phase 2 for every system, on one input topic filled once. */
async function throughputPhase(
  bench: BenchRun,
  results: Map<PeerKind, SystemResult>,
  firstEventMs: number,
): Promise<void> {
  const input = await bench.topic('throughput-in');
  const filling = Date.now();
  await produceBenchInput(bench.producer, input, firstEventMs, RECORDS);
  const took = ((Date.now() - filling) / 1000).toFixed(1);
  log(`input: ${RECORDS.toLocaleString('en-US')} records produced in ${took} s`);
  for (const [kind, result] of results)
    result.throughput = await attempt(result, () => throughput(bench, kind, input));
}

const round = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n) ? null : Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? null : round(a / b, 3);

async function main(): Promise<void> {
  checkSettings();
  const loadBefore = loadavg();
  const results = await withBenchKafka(runAll);
  const loadAfter = loadavg();

  const rows: TableRow[] = [...results].map(([kind, r]) => ({
    system: kind,
    'records/s': r.throughput ? Math.round(r.throughput.recordsPerSec) : '-',
    seconds: r.throughput ? Math.round(r.throughput.seconds * 10) / 10 : '-',
    'with startup s': r.throughput ? Math.round(r.throughput.secondsWithStartup * 10) / 10 : '-',
    outputs: r.throughput?.outputs ?? '-',
    'p50 ms': r.latency?.p50Ms ?? '-',
    'p99 ms': r.latency?.p99Ms ?? '-',
    'max ms': r.latency?.maxMs ?? '-',
    'drain s': r.latency ? Math.round(r.latency.drainMs / 100) / 10 : '-',
    correct: r.unavailable
      ? 'unavailable (see below)'
      : r.verify === undefined
        ? '-'
        : r.verify.startsWith('ok')
          ? 'ok'
          : 'WRONG (see below)',
  }));
  printTable(
    `kafka: ${RECORDS.toLocaleString('en-US')} JSON records (~200 B), ${PARTITIONS} partitions, filter -> hopping ` +
      `5m/1m count -> topic; at-least-once, commit ${COMMIT_INTERVAL_MS} ms; latency at ${RATE}/s for ${SECONDS} s`,
    rows,
  );
  for (const [kind, r] of results) {
    if (r.unavailable) console.log(`${kind} unavailable: ${r.unavailable}`);
    else if (r.verify && !r.verify.startsWith('ok')) console.log(`${kind} output is wrong: ${r.verify}`);
  }

  const get = (kind: PeerKind) => results.get(kind);
  const ks = get('kafka-streams');
  const tr = get('tributary');
  const ceiling = get('ceiling');
  printJsonLine({
    bench: 'kafka',
    records: RECORDS,
    partitions: PARTITIONS,
    tributary_rps: round(tr?.throughput?.recordsPerSec),
    kafka_streams_rps: round(ks?.throughput?.recordsPerSec),
    ratio_throughput: ratio(tr?.throughput?.recordsPerSec, ks?.throughput?.recordsPerSec),
    ceiling_rps: round(ceiling?.throughput?.recordsPerSec),
    ratio_tributary_ceiling: ratio(tr?.throughput?.recordsPerSec, ceiling?.throughput?.recordsPerSec),
    ratio_kafka_streams_ceiling: ratio(ks?.throughput?.recordsPerSec, ceiling?.throughput?.recordsPerSec),
    tributary_p50_ms: tr?.latency?.p50Ms ?? null,
    tributary_p99_ms: tr?.latency?.p99Ms ?? null,
    kafka_streams_p50_ms: ks?.latency?.p50Ms ?? null,
    kafka_streams_p99_ms: ks?.latency?.p99Ms ?? null,
    ceiling_p50_ms: ceiling?.latency?.p50Ms ?? null,
    ceiling_p99_ms: ceiling?.latency?.p99Ms ?? null,
    ratio_p99: ratio(tr?.latency?.p99Ms, ks?.latency?.p99Ms),
    tributary_unavailable: tr?.unavailable ?? null,
    verify: Object.fromEntries([...results].map(([k, r]) => [k, r.unavailable ?? r.verify ?? null])),
    outputs: Object.fromEntries([...results].map(([k, r]) => [k, r.throughput?.outputs ?? null])),
    latency_rate: RATE,
    latency_seconds: SECONDS,
    commit_interval_ms: COMMIT_INTERVAL_MS,
    kafka_streams_cache_bytes: KAFKA_STREAMS_CACHE_BYTES,
    kafka_streams_store: KAFKA_STREAMS_STORE,
    kafka_streams_changelog: KAFKA_STREAMS_CHANGELOG,
    tributary_store: process.env.BENCH_KAFKA_TRIBUTARY_STORE === 'persistent' ? 'persistent' : 'memory',
    drain_ms: Object.fromEntries([...results].map(([k, r]) => [k, r.latency?.drainMs ?? null])),
    loadavg_before: loadBefore.map((n) => round(n, 2)),
    loadavg_after: loadAfter.map((n) => round(n, 2)),
    peakRssMb: peakRssMb(),
    node: process.version,
    brokers: process.env.KAFKA_BROKERS ? 'KAFKA_BROKERS' : 'bench-started',
  });
}

await main();
