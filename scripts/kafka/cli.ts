/**
 * The test broker's command line (npm run kafka:start | kafka:stop | kafka:status | kafka:fetch).
 *   start [--cluster] [--port N] [--name NAME]   start in the background; last line is KAFKA_BROKERS=...
 *   stop [--name NAME]                            stop one instance, or every instance when no name is given
 *   status                                        list instances and whether they run
 *   fetch                                         only fetch the jars from Maven Central
 */
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { isAlive, knownInstances, readState, startKafka, stopKafka } from './broker.js';
import { ensureKafkaJars } from './fetch.js';
import { runDir } from './paths.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    cluster: { type: 'boolean', default: false },
    port: { type: 'string' },
    name: { type: 'string' },
  },
});
const command = positionals[0];
const instancesRoot = dirname(runDir('default'));

async function main(): Promise<void> {
  switch (command) {
    case 'fetch':
      console.log(ensureKafkaJars());
      return;
    case 'start': {
      const name = values.name ?? (values.cluster ? 'cluster' : 'default');
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        throw new Error(`--port must be a TCP port number, got "${values.port}"`);
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
        const up = state?.nodes.filter((n) => isAlive(n.pid)).length ?? 0;
        console.log(`${name}: ${state?.bootstrap} (${up}/${state?.nodes.length} nodes running)`);
      }
      return;
    }
    default:
      throw new Error(
        `Unknown command "${command ?? ''}". Use start [--cluster] [--port N], stop, status or fetch.`,
      );
  }
}

main().catch((error: Error) => {
  console.error(`kafka: ${error.message}`);
  process.exit(1);
});
