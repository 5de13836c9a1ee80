/**
 * Starts and stops a real Apache Kafka cluster (KRaft, combined broker+controller nodes) on 127.0.0.1
 * for tests and benches. Each cluster lives in a run folder (data, logs, `cluster.json`, `bootstrap`);
 * stopNode / startNode (nodes.ts) stop and restart single nodes of a running cluster.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BrokerProperties, type NodeSpec, randomClusterId, serverProperties } from './config.js';
import { ensureKafkaJars } from './fetch.js';
import { requireJava } from './java.js';
import { choosePorts, morePorts } from './ports.js';
import {
  brokerJvmOptions,
  DEFAULT_HEAP_MB,
  isNodeAlive,
  launchNode,
  logTail,
  terminateNodes,
} from './process.js';
import { NodeExitedError, waitForBrokers } from './readiness.js';
import { type ScramListenerOptions, scramFormatArguments, validateScramUsers } from './scram.js';
import {
  type ClusterState,
  clearState,
  type RunningNode,
  readState,
  resolveDir,
  writeState,
} from './state.js';
import { formatStorage } from './storage.js';

export {
  type NodeOptions,
  type StartNodeOptions,
  type StopNodeOptions,
  startNode,
  stopNode,
} from './nodes.js';
export { DEFAULT_HEAP_MB, isAlive, isNodeAlive, logTail } from './process.js';
export type { ScramListenerOptions, ScramUser } from './scram.js';
export { type ClusterState, knownInstances, type RunningNode, readState } from './state.js';

/** Options of startKafka. */
export interface StartOptions {
  /** Instance name: its files live in .kafka/run/<name>. Default "default". */
  name?: string;
  /** Overrides the run folder entirely. */
  dir?: string;
  /** Number of combined broker+controller nodes: 1 (default) or more (3 for fault tests). */
  nodes?: number;
  /** Fixed client port for a single-node broker; a free one is chosen when absent. */
  port?: number;
  /** Milliseconds to wait for the cluster to answer before giving up. Default 90 s. */
  readyTimeoutMs?: number;
  /** Broker settings written after the defaults, so they win (e.g. shorter session timeouts for fault tests). */
  extraProperties?: BrokerProperties;
  /** Maximum heap of each node's JVM in MiB. Default 768; 256 is plenty for small test clusters. */
  heapMb?: number;
  /**
   * Start the JVMs for a fast start rather than peak speed (quick JIT tier, serial GC): about twice as fast
   * to answer on a busy 2-core machine. For tests; benches should leave it off. Default false.
   */
  quickStart?: boolean;
  /**
   * Adds a SASL_PLAINTEXT listener with SCRAM-SHA-256 and SCRAM-SHA-512 on a free port of each node, with
   * these users (created at format time). Its address is `saslBootstrap`; PLAINTEXT stays as it is.
   */
  scram?: ScramListenerOptions;
  /** Where progress lines go. Default console.log. */
  log?: (line: string) => void;
}

/** What startKafka returns: the cluster, its folder, and whether it was running already. */
export interface StartResult extends ClusterState {
  readyMs: number;
  alreadyRunning: boolean;
  dir: string;
}

/** A start that failed; `portClash` when a node lost its port to another process between choice and bind. */
class KafkaStartError extends Error {
  constructor(
    message: string,
    readonly portClash: boolean,
  ) {
    super(message);
  }
}

/**
 * Starts a KRaft cluster of combined broker+controller nodes on 127.0.0.1 in the background.
 * Safe to call twice: a cluster already running in the same folder is reported, not restarted.
 * Prints how long the cluster took to answer and writes the bootstrap address to `<dir>/bootstrap`.
 */
export async function startKafka(options: StartOptions = {}): Promise<StartResult> {
  const log = options.log ?? console.log;
  const dir = resolve(resolveDir(options));
  const count = options.nodes ?? 1;
  if (!(Number.isInteger(count) && count >= 1))
    throw new Error(`nodes must be a whole number ≥ 1, got ${count}`);
  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
  if (!(Number.isInteger(heapMb) && heapMb >= 128)) throw new Error(`heapMb must be ≥ 128, got ${heapMb}`);
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  if (options.scram) validateScramUsers(options.scram);

  const existing = readState(dir);
  if (existing?.nodes.every(isNodeAlive)) {
    if (existing.readyMs === undefined) {
      // Launched by a start that is still waiting (or was interrupted): wait for the same cluster.
      const ids = existing.nodes.map((n) => n.nodeId);
      await waitForBrokers(existing.bootstrap, ids, Date.now() + readyTimeoutMs, existing.nodes);
    }
    log(`Kafka is already running at ${existing.bootstrap} (${dir})`);
    return { ...existing, readyMs: existing.readyMs ?? 0, alreadyRunning: true, dir };
  }
  if (existing) {
    const up = existing.nodes.filter(isNodeAlive).length;
    if (up > 0) log(`Stopping the ${up} surviving node(s) of an earlier cluster in ${dir} to start afresh`);
    await stopKafka({ dir, log: () => {} });
  }

  requireJava();
  const jars = ensureKafkaJars(log);
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchCluster(jars, dir, count, heapMb, readyTimeoutMs, options, log);
    } catch (error) {
      // Free ports are chosen before the JVMs bind them; another process may win that race. Retry once.
      if (error instanceof KafkaStartError && error.portClash && options.port === undefined && attempt < 2) {
        log('A chosen port was taken by another process meanwhile; retrying with new ports');
        continue;
      }
      throw error;
    }
  }
}

async function launchCluster(
  jars: string,
  dir: string,
  count: number,
  heapMb: number,
  readyTimeoutMs: number,
  options: StartOptions,
  log: (line: string) => void,
): Promise<StartResult> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ports = await choosePorts(count, options.port);
  const saslPorts = options.scram ? await morePorts(count, new Set(ports.flat())) : [];
  const specs: NodeSpec[] = ports.map(([brokerPort, controllerPort], i) => ({
    nodeId: i + 1,
    brokerPort,
    controllerPort,
    dataDir: join(dir, `node-${i + 1}`, 'data'),
    ...(saslPorts[i] !== undefined ? { saslPort: saslPorts[i] } : {}),
  }));
  const planned = specs.map((spec) => {
    const nodeDir = join(dir, `node-${spec.nodeId}`);
    mkdirSync(spec.dataDir, { recursive: true });
    const propsFile = join(nodeDir, 'server.properties');
    writeFileSync(propsFile, serverProperties(spec, specs, options.extraProperties));
    return { spec, nodeDir, propsFile, logFile: join(nodeDir, 'broker.log') };
  });

  const clusterId = randomClusterId();
  const jvmOptions = brokerJvmOptions(heapMb, options.quickStart);
  const bootstrap = specs.map((s) => `127.0.0.1:${s.brokerPort}`).join(',');
  const saslBootstrap = options.scram ? specs.map((s) => `127.0.0.1:${s.saslPort}`).join(',') : undefined;
  const formatArguments = options.scram ? scramFormatArguments(options.scram) : [];
  const started = Date.now();
  const nodes: RunningNode[] = [];
  try {
    await Promise.all(
      planned.map((p) =>
        formatStorage(jars, p.propsFile, clusterId, join(p.nodeDir, 'format.log'), formatArguments),
      ),
    );
    for (const p of planned) {
      const pid = launchNode(jars, p.propsFile, p.logFile, jvmOptions);
      nodes.push({ ...p.spec, pid, propsFile: p.propsFile, logFile: p.logFile });
    }
    // Recorded before waiting, so `npm run kafka:stop` finds the JVMs even if this process is interrupted.
    const state: ClusterState = {
      bootstrap,
      ...(saslBootstrap ? { saslBootstrap } : {}),
      nodes,
      jvmOptions,
      startedAt: new Date(started).toISOString(),
    };
    writeState(dir, state);
    const ids = nodes.map((n) => n.nodeId);
    await waitForBrokers(bootstrap, ids, started + readyTimeoutMs, nodes);
    const readyMs = Date.now() - started;
    writeState(dir, { ...state, readyMs });
    const what = `Kafka (${count} node${count > 1 ? 's' : ''})`;
    const scram = saslBootstrap ? ` (SCRAM listener at ${saslBootstrap})` : '';
    log(`${what} ready at ${bootstrap}${scram} in ${(readyMs / 1000).toFixed(1)} s`);
    return { ...state, readyMs, alreadyRunning: false, dir };
  } catch (error) {
    await terminateNodes(nodes, 0);
    clearState(dir);
    throw startFailure(error as Error, count, dir, nodes);
  }
}

/** Builds the error of a failed start: the cause, then the end of each node's log (the exited one first). */
function startFailure(cause: Error, count: number, dir: string, nodes: RunningNode[]): KafkaStartError {
  const exited = cause instanceof NodeExitedError ? cause.node.nodeId : undefined;
  const ordered = [...nodes].sort((a, b) => Number(b.nodeId === exited) - Number(a.nodeId === exited));
  const tails = ordered.map(
    (n) => `--- end of ${n.logFile} ---\n${logTail(n.logFile, n.nodeId === exited || count === 1 ? 40 : 15)}`,
  );
  const portClash = nodes.some((n) => safeRead(n.logFile).includes('Address already in use'));
  const hint =
    nodes.length === 0
      ? `(The run folder ${dir} is kept for inspection.)`
      : portClash
        ? 'A port was taken by another process.'
        : 'The broker log below says why; the run folder is kept for inspection.';
  return new KafkaStartError(
    [
      `Kafka (${count} node${count > 1 ? 's' : ''}) in ${dir} did not start: ${cause.message}`,
      hint,
      ...tails,
    ].join('\n'),
    portClash,
  );
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Options of stopKafka. */
export interface StopOptions {
  name?: string;
  dir?: string;
  /** Milliseconds to wait for a clean shutdown before SIGKILL. Default 30 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Stops a cluster started by startKafka: SIGTERM, then SIGKILL after the timeout; resolves when every
 * JVM is gone. Returns false (and does nothing) when nothing runs in that folder.
 */
export async function stopKafka(options: StopOptions = {}): Promise<boolean> {
  const log = options.log ?? console.log;
  const dir = resolve(resolveDir(options));
  const state = readState(dir);
  const alive = state?.nodes.filter(isNodeAlive) ?? [];
  if (!state || alive.length === 0) {
    if (state) clearState(dir);
    log(`Kafka is not running (${dir})`);
    return false;
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  const killed = await terminateNodes(alive, timeoutMs);
  clearState(dir);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (killed.length === 0) log(`Kafka stopped (${state.bootstrap}) in ${seconds} s`);
  else
    log(
      `Kafka stopped (${state.bootstrap}) in ${seconds} s; node(s) ${killed.join(', ')} did not shut down ` +
        `within ${timeoutMs / 1000} s of SIGTERM and were killed (see their broker.log in ${dir})`,
    );
  return true;
}
