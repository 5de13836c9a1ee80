import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type NodeSpec, randomClusterId, serverProperties } from './config.js';
import { ensureKafkaJars } from './fetch.js';
import { javaExecutable, requireJava } from './java.js';
import { runDir as defaultRunDir, scriptDir } from './paths.js';
import { freePort, isPortFree } from './ports.js';

export interface StartOptions {
  /** Instance name: its files live in .kafka/run/<name>. Default "default". */
  name?: string;
  /** Overrides the run folder entirely. */
  dir?: string;
  /** 1 (default) or 3 combined broker+controller nodes. */
  nodes?: number;
  /** Fixed client port for a single-node broker; a free one is chosen when absent. */
  port?: number;
  /** Milliseconds to wait for the cluster to answer before giving up. Default 90 s. */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningNode extends NodeSpec {
  pid: number;
  logFile: string;
}

export interface ClusterState {
  bootstrap: string;
  nodes: RunningNode[];
  startedAt: string;
  readyMs: number;
}

export interface StartResult extends ClusterState {
  alreadyRunning: boolean;
  dir: string;
}

const STATE_FILE = 'cluster.json';
const BOOTSTRAP_FILE = 'bootstrap';

function resolveDir(options: { name?: string; dir?: string }): string {
  return options.dir ?? defaultRunDir(options.name ?? 'default');
}

/** Reads a run folder's state file, or undefined when nothing was started there. */
export function readState(dir: string): ClusterState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of a broker log, for error messages. */
export function logTail(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Resolves when kafkajs sees `expected` brokers at bootstrap; throws on timeout. */
async function waitUntilAnswering(
  bootstrap: string,
  expected: number,
  deadline: number,
  nodes: RunningNode[],
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tributary-broker-check',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    for (const node of nodes) {
      if (!isAlive(node.pid)) {
        throw new Error(
          `Kafka node ${node.nodeId} (pid ${node.pid}) exited while starting. End of ${node.logFile}:\n${logTail(node.logFile)}`,
        );
      }
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length >= expected && cluster.controller !== null) return;
      lastError = `${cluster.brokers.length}/${expected} brokers registered`;
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kafka did not answer at ${bootstrap} in time (${lastError}).`);
}

function formatStorage(jars: string, propsFile: string, clusterId: string, logFile: string): void {
  const result = spawnSync(
    javaExecutable(),
    ['-cp', `${jars}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile],
    { encoding: 'utf8', env: { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' } },
  );
  writeFileSync(logFile, `${result.stdout}${result.stderr}`);
  if (result.status !== 0) {
    throw new Error(
      `Formatting KRaft storage failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
}

async function choosePorts(count: number, fixedPort?: number): Promise<Array<[number, number]>> {
  if (fixedPort !== undefined) {
    if (count !== 1) throw new Error('A fixed --port can only be given for a single-node broker.');
    if (!(await isPortFree(fixedPort))) {
      throw new Error(
        `Port ${fixedPort} on 127.0.0.1 is already taken by another process. Stop that process or choose another port ` +
          `(leave --port out to pick a free one).`,
      );
    }
  }
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port) && port !== fixedPort) {
        taken.add(port);
        return port;
      }
    }
  };
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) pairs.push([fixedPort ?? (await next()), await next()]);
  return pairs;
}

/**
 * Starts a KRaft cluster of combined broker+controller nodes on 127.0.0.1 in the background.
 * Safe to call twice: a cluster already running in the same folder is reported, not restarted.
 * Prints how long the cluster took to answer and writes the bootstrap address to `<dir>/bootstrap`.
 */
export async function startKafka(options: StartOptions = {}): Promise<StartResult> {
  const log = options.log ?? console.log;
  const dir = resolveDir(options);
  const count = options.nodes ?? 1;
  if (count < 1) throw new Error(`nodes must be at least 1, got ${count}`);

  const existing = readState(dir);
  if (existing?.nodes.every((n) => isAlive(n.pid))) {
    log(`Kafka is already running at ${existing.bootstrap} (${dir})`);
    return { ...existing, alreadyRunning: true, dir };
  }
  if (existing) await stopKafka({ dir, log: () => {} });

  requireJava();
  const jars = ensureKafkaJars(log);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const ports = await choosePorts(count, options.port);
  const specs: NodeSpec[] = ports.map(([brokerPort, controllerPort], i) => ({
    nodeId: i + 1,
    brokerPort,
    controllerPort,
    dataDir: join(dir, `node-${i + 1}`, 'data'),
  }));
  const clusterId = randomClusterId();
  const started = Date.now();
  const nodes: RunningNode[] = [];
  try {
    for (const spec of specs) {
      const nodeDir = join(dir, `node-${spec.nodeId}`);
      mkdirSync(spec.dataDir, { recursive: true });
      const propsFile = join(nodeDir, 'server.properties');
      writeFileSync(propsFile, serverProperties(spec, specs));
      formatStorage(jars, propsFile, clusterId, join(nodeDir, 'format.log'));
      nodes.push({
        ...spec,
        pid: launchNode(jars, nodeDir, propsFile),
        logFile: join(nodeDir, 'broker.log'),
      });
    }
    const bootstrap = specs.map((s) => `127.0.0.1:${s.brokerPort}`).join(',');
    await waitUntilAnswering(bootstrap, count, started + (options.readyTimeoutMs ?? 90_000), nodes);
    const state: ClusterState = {
      bootstrap,
      nodes,
      startedAt: new Date(started).toISOString(),
      readyMs: Date.now() - started,
    };
    writeFileSync(join(dir, STATE_FILE), JSON.stringify(state, null, 2));
    writeFileSync(join(dir, BOOTSTRAP_FILE), `${bootstrap}\n`);
    log(
      `Kafka (${count} node${count > 1 ? 's' : ''}) ready at ${bootstrap} in ${(state.readyMs / 1000).toFixed(1)} s`,
    );
    return { ...state, alreadyRunning: false, dir };
  } catch (error) {
    for (const node of nodes) if (isAlive(node.pid)) process.kill(node.pid, 'SIGKILL');
    const tails = nodes.map((n) => `--- end of ${n.logFile} ---\n${logTail(n.logFile)}`).join('\n');
    throw new Error(`${(error as Error).message}\n${tails}`);
  }
}

function launchNode(jars: string, nodeDir: string, propsFile: string): number {
  const out = openSync(join(nodeDir, 'broker.log'), 'a');
  const child = spawn(
    javaExecutable(),
    [
      '-Xms256m',
      '-Xmx768m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(scriptDir, 'log4j2.properties')}`,
      '-cp',
      `${jars}/*`,
      'kafka.Kafka',
      propsFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  if (child.pid === undefined) throw new Error(`Could not start ${javaExecutable()} for ${propsFile}`);
  return child.pid;
}

export interface StopOptions {
  name?: string;
  dir?: string;
  /** Milliseconds to wait for a clean shutdown before SIGKILL. Default 30 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Stops a cluster started by startKafka: SIGTERM, then SIGKILL after the timeout. Safe when nothing runs. */
export async function stopKafka(options: StopOptions = {}): Promise<boolean> {
  const log = options.log ?? console.log;
  const dir = resolveDir(options);
  const state = readState(dir);
  const alive = state?.nodes.filter((n) => isAlive(n.pid)) ?? [];
  if (!state || alive.length === 0) {
    if (state) rmSync(join(dir, STATE_FILE), { force: true });
    log(`Kafka is not running (${dir})`);
    return false;
  }
  for (const node of alive) process.kill(node.pid, 'SIGTERM');
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (alive.some((n) => isAlive(n.pid)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const node of alive) if (isAlive(node.pid)) process.kill(node.pid, 'SIGKILL');
  rmSync(join(dir, STATE_FILE), { force: true });
  rmSync(join(dir, BOOTSTRAP_FILE), { force: true });
  log(`Kafka stopped (${state.bootstrap})`);
  return true;
}

/** Names of the run folders under .kafka/run that hold a state file. */
export function knownInstances(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((name) => existsSync(join(root, name, STATE_FILE)));
}
