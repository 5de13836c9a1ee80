/**
 * The tributary peer of bench/kafka.ts: the bench topology (filter -> hopping-window count by key ->
 * output topic) on tributary's Kafka runtime, at-least-once, commit interval as given. Speaks
 * peer-protocol.ts. BENCH_KAFKA_TRIBUTARY_STORE = memory (tributary's default) | persistent picks the
 * window store.
 */
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

const args = parsePeerArgs(process.argv.slice(2));

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
