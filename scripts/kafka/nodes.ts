/**
 * Stops and restarts single nodes of a running cluster, for fault tests: crash a node (SIGKILL) or stop
 * it cleanly, then bring it back from its own data folder and server.properties, on the same ports.
 */
import { resolve } from 'node:path';
import { ensureKafkaJars } from './fetch.js';
import { requireJava } from './java.js';
import { isPortFree } from './ports.js';
import {
  brokerJvmOptions,
  DEFAULT_HEAP_MB,
  isNodeAlive,
  killNodes,
  launchNode,
  logTail,
  terminateNodes,
} from './process.js';
import { NodeExitedError, waitForBrokers } from './readiness.js';
import { type ClusterState, type RunningNode, readState, resolveDir, writeState } from './state.js';

/** Which node of which cluster. */
export interface NodeOptions {
  /** Instance name, as given to startKafka. Default "default". */
  name?: string;
  /** Run folder, as given to startKafka. */
  dir?: string;
  /** The node's id: 1..nodes. */
  nodeId: number;
  log?: (line: string) => void;
}

/** Options of stopNode. */
export interface StopNodeOptions extends NodeOptions {
  /** SIGTERM (default): a clean shutdown, SIGKILL after `timeoutMs`. SIGKILL: a crash, at once. */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** Milliseconds to wait for a clean shutdown before SIGKILL. Default 30 s. */
  timeoutMs?: number;
}

/** Options of startNode. */
export interface StartNodeOptions extends NodeOptions {
  /** Milliseconds to wait for the node to register with the cluster again. Default 60 s. */
  readyTimeoutMs?: number;
}

function findNode(options: NodeOptions): { dir: string; state: ClusterState; node: RunningNode } {
  const dir = resolve(resolveDir(options));
  const state = readState(dir);
  if (!state) throw new Error(`No Kafka cluster was started in ${dir}; start one with startKafka first.`);
  const node = state.nodes.find((n) => n.nodeId === options.nodeId);
  if (!node) {
    const ids = state.nodes.map((n) => n.nodeId).join(', ');
    throw new Error(`The Kafka cluster in ${dir} has nodes ${ids}; there is no node ${options.nodeId}.`);
  }
  return { dir, state, node };
}

/**
 * Stops one node of a running cluster and resolves when its JVM is gone. The cluster's state keeps the
 * node, so startNode can bring it back. Returns false when the node was not running.
 */
export async function stopNode(options: StopNodeOptions): Promise<boolean> {
  const log = options.log ?? console.log;
  const { node } = findNode(options);
  if (!isNodeAlive(node)) {
    log(`Kafka node ${node.nodeId} is not running`);
    return false;
  }
  if (options.signal === 'SIGKILL') {
    await killNodes([node]);
    log(`Kafka node ${node.nodeId} (pid ${node.pid}) killed`);
    return true;
  }
  const killed = await terminateNodes([node], options.timeoutMs ?? 30_000);
  log(
    `Kafka node ${node.nodeId} (pid ${node.pid}) ${killed.length ? 'killed after SIGTERM timed out' : 'stopped'}`,
  );
  return true;
}

/**
 * Starts a stopped or crashed node again from its existing data and server.properties, on its old ports,
 * and resolves once the cluster lists it as a broker again. A node that is running is left alone.
 */
export async function startNode(options: StartNodeOptions): Promise<RunningNode> {
  const log = options.log ?? console.log;
  const { dir, state, node } = findNode(options);
  if (isNodeAlive(node)) {
    log(`Kafka node ${node.nodeId} is already running (pid ${node.pid})`);
    return node;
  }
  for (const [port, role] of [
    [node.brokerPort, 'client'],
    [node.controllerPort, 'controller'],
  ] as const) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `Kafka node ${node.nodeId} cannot come back: its ${role} port ${port} on 127.0.0.1 was taken by another ` +
          `process since the cluster started. Stop that process, or stop and start the whole cluster.`,
      );
    }
  }
  requireJava();
  const jars = ensureKafkaJars(log);
  const jvmOptions = state.jvmOptions.length > 0 ? state.jvmOptions : brokerJvmOptions(DEFAULT_HEAP_MB);
  const started = Date.now();
  const restarted: RunningNode = { ...node, pid: launchNode(jars, node.propsFile, node.logFile, jvmOptions) };
  // Re-read the state: another node may have been restarted meanwhile, and its pid must not be lost.
  const latest = readState(dir) ?? state;
  writeState(dir, { ...latest, nodes: latest.nodes.map((n) => (n.nodeId === node.nodeId ? restarted : n)) });

  const reachable = latest.nodes.filter((n) => n.nodeId !== node.nodeId && isNodeAlive(n)).concat(restarted);
  const bootstrap = reachable.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
  try {
    await waitForBrokers(bootstrap, [node.nodeId], started + (options.readyTimeoutMs ?? 60_000), [restarted]);
  } catch (error) {
    await terminateNodes([restarted], 0);
    const why = error instanceof NodeExitedError ? 'it exited' : (error as Error).message;
    throw new Error(
      `Kafka node ${node.nodeId} did not come back (${why}). End of ${node.logFile}:\n${logTail(node.logFile)}`,
    );
  }
  log(
    `Kafka node ${node.nodeId} back at 127.0.0.1:${node.brokerPort} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return restarted;
}
