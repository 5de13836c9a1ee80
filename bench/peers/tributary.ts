/**
 * The tributary peer of bench/kafka.ts: the bench topology (filter -> hopping-window count by key ->
 * output topic) on tributary's Kafka runtime, at-least-once, commit interval as given. Speaks
 * peer-protocol.ts; says "UNSUPPORTED <reason>" and exits when StreamsApp cannot run on Kafka yet.
 * BENCH_KAFKA_TRIBUTARY_STORE = memory (tributary's default) | persistent picks the window store.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type AnySerde,
  jsonSerde,
  StreamsApp,
  StreamsBuilder,
  stringSerde,
  windows,
} from '../../src/index.js';
import {
  type BenchEvent,
  keepEvent,
  WINDOW_ADVANCE_MS,
  WINDOW_GRACE_MS,
  WINDOW_SIZE_MS,
  windowKey,
} from '../harness/kafka-bench-data.js';
import { ProcessedCounter, parsePeerArgs, say, stopRequested } from './peer-protocol.js';

/** Why StreamsApp cannot run on Kafka in this checkout, or undefined when it declares the `kafka` option. */
function missingKafkaRuntime(): string | undefined {
  const file = fileURLToPath(new URL('../../src/runtime/app/streams-app.ts', import.meta.url));
  const options = /export interface StreamsAppOptions \{[\s\S]*?\n\}/.exec(readFileSync(file, 'utf8'))?.[0];
  if (options === undefined) return `could not find StreamsAppOptions in ${file}`;
  return /^\s*(readonly\s+)?kafka\??:/m.test(options)
    ? undefined
    : 'StreamsAppOptions has no `kafka` option yet (the Kafka runtime is not in this checkout)';
}

const args = parsePeerArgs(process.argv.slice(2));
const missing = missingKafkaRuntime();
if (missing) {
  say(`UNSUPPORTED ${missing}`);
  process.exit(0);
}

const store = process.env.BENCH_KAFKA_TRIBUTARY_STORE === 'persistent' ? 'persistent' : 'memory';
const counter = new ProcessedCounter();
const strings = stringSerde as AnySerde<string>;
const b = new StreamsBuilder({ defaultStore: store });
b.stream<string, BenchEvent>(args.input, {
  key: strings,
  value: jsonSerde<BenchEvent>(),
  timestampExtractor: (_key, value, recordTimestamp) => value?.ts ?? recordTimestamp,
})
  .peek(() => counter.record())
  .filter((_key, value) => value !== null && keepEvent(value))
  .groupByKey()
  .windowedBy(windows.hopping({ size: WINDOW_SIZE_MS, advance: WINDOW_ADVANCE_MS, grace: WINDOW_GRACE_MS }))
  .count()
  .toStream()
  .map((window, count) => ({ key: windowKey(window.key, window.window.start), value: String(count) }))
  .to(args.output, { key: strings, value: strings });

// Passed as a variable, so this file compiles whether or not StreamsAppOptions declares `kafka` yet.
const options = {
  applicationId: args.applicationId,
  stateDir: args.stateDir,
  commitIntervalMs: args.commitIntervalMs,
  kafka: { brokers: args.brokers, guarantee: 'at-least-once' as const },
};
const app = new StreamsApp(b.build(), options);
app.onStateChange((next) => say(`STATE ${next}`));
await app.start();

await stopRequested();
await app.close();
say(`CLOSED processed=${counter.count}`);
process.exit(0);
