/**
 * The test broker's command line (npm run kafka:start | kafka:stop | kafka:status | kafka:fetch).
 *   start [--cluster] [--port N] [--name NAME]   start in the background; last line is KAFKA_BROKERS=...
 *   stop [--name NAME]                            stop one instance, or every instance when no name is given
 *   status                                        list instances and whether they run
 *   stop-node N [--kill] [--name NAME]            stop (or, with --kill, crash) node N of a cluster
 *   start-node N [--name NAME]                    start node N again from its data
 *   fetch                                         only fetch the jars from Maven Central
 * stop-node and start-node act on the instance "cluster" unless --name says otherwise.
 */
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  isNodeAlive,
  knownInstances,
  readState,
  startKafka,
  startNode,
  stopKafka,
  stopNode,
} from './broker.js';
import { ensureKafkaJars } from './fetch.js';
import { runDir } from './paths.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    cluster: { type: 'boolean', default: false },
    port: { type: 'string' },
    name: { type: 'string' },
    kill: { type: 'boolean', default: false },
  },
});
const command = positionals[0];
const instancesRoot = dirname(runDir('default'));

function nodeIdArgument(): number {
  const id = Number(positionals[1]);
  if (!(Number.isInteger(id) && id >= 1)) {
    throw new Error(`${command} needs a node id (1, 2, 3, ...), got "${positionals[1] ?? ''}"`);
  }
  return id;
}

async function main(): Promise<void> {
  switch (command) {
    case 'fetch':
      console.log(ensureKafkaJars());
      return;
    case 'start': {
      const name = values.name ?? (values.cluster ? 'cluster' : 'default');
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        throw new Error(`--port must be a TCP port number (1-65535), got "${values.port}"`);
      }
      const result = await startKafka({ name, nodes: values.cluster ? 3 : 1, port });
      console.log(`KAFKA_BROKERS=${result.bootstrap}`);
      return;
    }
    case 'stop': {
      const names = values.name ? [values.name] : knownInstances(instancesRoot);
      if (names.length === 0) console.log('Kafka is not running');
      for (const name of names) await stopKafka({ name });
      return;
    }
    case 'status': {
      const names = knownInstances(instancesRoot);
      if (names.length === 0) console.log('No Kafka instance was started');
      for (const name of names) {
        const state = readState(runDir(name));
        if (!state) continue;
        const up = state.nodes.filter(isNodeAlive).map((n) => n.nodeId);
        const starting = state.readyMs === undefined ? ', still starting' : '';
        console.log(
          `${name}: ${state.bootstrap} (${up.length}/${state.nodes.length} nodes running` +
            `${up.length < state.nodes.length ? `: ${up.join(',') || 'none'}` : ''}${starting})`,
        );
      }
      return;
    }
    case 'stop-node':
      await stopNode({
        name: values.name ?? 'cluster',
        nodeId: nodeIdArgument(),
        signal: values.kill ? 'SIGKILL' : 'SIGTERM',
      });
      return;
    case 'start-node':
      await startNode({ name: values.name ?? 'cluster', nodeId: nodeIdArgument() });
      return;
    default:
      throw new Error(
        `Unknown command "${command ?? ''}". Use start [--cluster] [--port N], stop, status, ` +
          `stop-node N [--kill], start-node N, or fetch.`,
      );
  }
}

main().catch((error: Error) => {
  console.error(`kafka: ${error.message}`);
  process.exit(1);
});
