/**
 * The ceiling peer of bench/kafka.ts: a bare kafkajs consume -> produce loop with no topology. Each
 * fetched batch is copied to the output topic (keys, values and timestamps as they are); its offsets are
 * resolved once the broker acknowledged the copy and committed every commit interval (at-least-once).
 * Speaks peer-protocol.ts.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { ProcessedCounter, parsePeerArgs, say, stopRequested } from './peer-protocol.js';

const args = parsePeerArgs(process.argv.slice(2));
const kafka = new Kafka({ clientId: 'bench-ceiling', brokers: args.brokers, logLevel: logLevel.ERROR });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const consumer = kafka.consumer({ groupId: args.applicationId, maxBytes: 16 << 20 });
const counter = new ProcessedCounter();

await producer.connect();
await consumer.connect();
await consumer.subscribe({ topic: args.input, fromBeginning: true });
consumer.on(consumer.events.GROUP_JOIN, () => say('STATE RUNNING'));
await consumer.run({
  autoCommit: true,
  autoCommitInterval: args.commitIntervalMs,
  partitionsConsumedConcurrently: 6,
  eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
    if (batch.messages.length === 0) return;
    for (let i = 0; i < batch.messages.length; i++) counter.record();
    await producer.send({
      topic: args.output,
      acks: -1,
      messages: batch.messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp })),
    });
    resolveOffset(batch.lastOffset());
    await heartbeat();
  },
});

await stopRequested();
await consumer.disconnect(); // commits the resolved offsets
await producer.disconnect();
say(`CLOSED processed=${counter.count}`);
process.exit(0);
