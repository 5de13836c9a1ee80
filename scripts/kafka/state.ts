import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NodeSpec } from './config.js';
import { runDir } from './paths.js';

/** One launched node: its ports and folders, and the pid of its JVM. */
export interface RunningNode extends NodeSpec {
  pid: number;
  /** The node's server.properties; a restarted node is launched from it again. */
  propsFile: string;
  logFile: string;
}

/** What a run folder remembers about the cluster started in it (`<dir>/cluster.json`). */
export interface ClusterState {
  bootstrap: string;
  /** Bootstrap address of the SCRAM listener (SASL_PLAINTEXT), when the cluster was started with `scram`. */
  saslBootstrap?: string;
  nodes: RunningNode[];
  /** JVM options every node was launched with, reused when one node is restarted. */
  jvmOptions: string[];
  startedAt: string;
  /** Milliseconds from launch until the cluster answered; absent while it is still starting. */
  readyMs?: number;
}

const STATE_FILE = 'cluster.json';
const BOOTSTRAP_FILE = 'bootstrap';

/** The run folder of a named instance, or the folder given explicitly. */
export function resolveDir(options: { name?: string; dir?: string }): string {
  return options.dir ?? runDir(options.name ?? 'default');
}

/** Reads a run folder's state file, or undefined when nothing was started there. */
export function readState(dir: string): ClusterState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  // State files written before propsFile/jvmOptions were recorded: derive what they would have held.
  for (const node of state.nodes) node.propsFile ??= join(dirname(node.dataDir), 'server.properties');
  state.jvmOptions ??= [];
  return state;
}

/** Writes the state file atomically (write + rename), so a reader never sees half a file. */
export function writeState(dir: string, state: ClusterState): void {
  const file = join(dir, STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
  if (state.readyMs !== undefined) writeFileSync(join(dir, BOOTSTRAP_FILE), `${state.bootstrap}\n`);
}

/** Forgets the cluster of a run folder (its data stays until the next start wipes it). */
export function clearState(dir: string): void {
  rmSync(join(dir, STATE_FILE), { force: true });
  rmSync(join(dir, BOOTSTRAP_FILE), { force: true });
}

/** Names of the run folders under `root` that hold a state file. */
export function knownInstances(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((name) => existsSync(join(root, name, STATE_FILE)));
}
