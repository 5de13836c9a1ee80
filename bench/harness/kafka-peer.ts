/**
 * Runs one peer of the Kafka side-by-side bench (bench/kafka.ts) in its own process and follows its
 * protocol (bench/peers/peer-protocol.ts): the Kafka Streams jar, the tributary peer or the kafkajs
 * ceiling. One process per system keeps their CPU and memory apart from the bench's own producer and
 * latency consumer.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { javaExecutable } from '../../scripts/kafka/java.js';

const peersDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers');
const javaProject = join(peersDir, 'kafka-streams-java');
const javaJar = join(javaProject, 'target', 'kafka-streams-bench-peer.jar');

/** The systems compared. */
export type PeerKind = 'kafka-streams' | 'tributary' | 'ceiling';

/** Where a peer reads and writes, and its consumer group / application id. */
export interface PeerRun {
  brokers: string[];
  input: string;
  output: string;
  applicationId: string;
  stateDir: string;
  commitIntervalMs: number;
}

/**
 * Builds the Kafka Streams peer jar with Maven unless it is newer than its sources, after checking that
 * its kafka-streams version is the broker's (scripts/kafka/pom.xml).
 */
export function buildJavaPeer(log: (line: string) => void): string {
  const version = (file: string) => /<kafka\.version>([^<]+)</.exec(readFileSync(file, 'utf8'))?.[1];
  const peerVersion = version(join(javaProject, 'pom.xml'));
  const brokerVersion = version(join(peersDir, '..', '..', 'scripts', 'kafka', 'pom.xml'));
  if (peerVersion !== brokerVersion) {
    throw new Error(
      `The Kafka Streams peer uses kafka ${peerVersion} but the bench broker is ${brokerVersion}: set ` +
        `<kafka.version> in ${join(javaProject, 'pom.xml')} to ${brokerVersion}.`,
    );
  }
  const sources = [
    join(javaProject, 'pom.xml'),
    join(javaProject, 'src/main/java/dev/tributary/bench/StreamsPeer.java'),
  ];
  const newestSource = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (existsSync(javaJar) && statSync(javaJar).mtimeMs > newestSource) return javaJar;
  log(`building the Kafka Streams peer (mvn -q package in ${javaProject})`);
  const built = spawnSync('mvn', ['-q', '-B', 'package'], { cwd: javaProject, encoding: 'utf8' });
  if (built.error || built.status !== 0) {
    throw new Error(
      `Building the Kafka Streams peer failed (mvn -q package in ${javaProject}): ` +
        `${built.error?.message ?? built.stdout + built.stderr}. Maven 3 and a JDK 17+ are needed.`,
    );
  }
  return javaJar;
}

function commandOf(kind: PeerKind, run: PeerRun): { command: string; args: string[] } {
  const peerArgs = [
    '--brokers',
    run.brokers.join(','),
    '--input',
    run.input,
    '--output',
    run.output,
    '--application-id',
    run.applicationId,
    '--state-dir',
    run.stateDir,
    '--commit-interval-ms',
    String(run.commitIntervalMs),
  ];
  if (kind === 'kafka-streams') {
    const jvm = ['-Xmx1g', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-jar', javaJar];
    return {
      command: javaExecutable(),
      args: [
        ...jvm,
        ...peerArgs,
        '--cache-bytes',
        String(PeerProcess.kafkaStreamsCacheBytes),
        '--store',
        PeerProcess.kafkaStreamsStore,
        '--changelog',
        PeerProcess.kafkaStreamsChangelog ? 'on' : 'off',
      ],
    };
  }
  const file = join(peersDir, kind === 'tributary' ? 'tributary.ts' : 'kafkajs-ceiling.ts');
  return { command: process.execPath, args: ['--import', 'tsx', file, ...peerArgs] };
}

/** A running peer process: its announcements, and how to stop it. */
export class PeerProcess {
  /** Wall-clock ms when the process was spawned. */
  readonly spawnedAt = Date.now();
  /** Record cache of the Kafka Streams peer in bytes (statestore.cache.max.bytes); 0 = every update emitted. */
  static kafkaStreamsCacheBytes = 0;
  /** Window store of the Kafka Streams peer: its default 'rocksdb', or 'memory'. */
  static kafkaStreamsStore: 'rocksdb' | 'memory' = 'rocksdb';
  /** Whether the Kafka Streams peer logs its store to a changelog topic (its default: yes). */
  static kafkaStreamsChangelog = true;
  /** Wall-clock ms of its first processed input record, once it said so. */
  firstRecordAt: number | undefined;
  /** Set when the peer said it cannot run here. */
  unsupported: string | undefined;
  /** Input records it processed, from its CLOSED line. */
  processed: number | undefined;
  private running = false;
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly child: ChildProcess;
  private readonly stderrTail: string[] = [];

  constructor(
    readonly kind: PeerKind,
    run: PeerRun,
  ) {
    const { command, args } = commandOf(kind, run);
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
      console.error(`[${kind}] ${line}`);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
      this.child.on('error', (error) => {
        this.stderrTail.push(error.message);
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  private onLine(line: string): void {
    const [word, ...rest] = line.split(' ');
    const text = rest.join(' ');
    if (word === 'STATE' && text === 'RUNNING') this.running = true;
    else if (word === 'FIRST') this.firstRecordAt = Number(text);
    else if (word === 'UNSUPPORTED') this.unsupported = text;
    else if (word === 'CLOSED') this.processed = Number(/processed=(\d+)/.exec(text)?.[1]);
  }

  /** Why the peer is gone, or undefined while it runs. */
  private failure(): string | undefined {
    if (this.unsupported) return this.unsupported;
    if (this.exitCode === undefined) return undefined;
    return `the ${this.kind} peer exited (code ${this.exitCode}): ${this.stderrTail.slice(-5).join(' | ')}`;
  }

  /**
   * Waits until `ready()` holds, checking every 100 ms; throws if the peer exits first or after
   * `timeoutMs`, with what it printed last.
   */
  async waitUntil(what: string, ready: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await ready()) return;
      const failure = this.failure();
      if (failure) throw new PeerUnavailable(failure);
      if (Date.now() > deadline)
        throw new Error(`The ${this.kind} peer did not reach "${what}" within ${timeoutMs / 1000} s.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until the peer says it is processing (its group joined / its state is RUNNING). */
  whenRunning(timeoutMs = 120_000): Promise<void> {
    return this.waitUntil('running', () => this.running || this.unsupported !== undefined, timeoutMs).then(
      () => {
        if (this.unsupported) throw new PeerUnavailable(this.unsupported);
      },
    );
  }

  /** Asks the peer to close (end of its stdin) and waits for it to exit; kills it after `timeoutMs`. */
  async stop(timeoutMs = 90_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The peer cannot run in this checkout or on this machine; the reason goes into the figures. */
export class PeerUnavailable extends Error {}
