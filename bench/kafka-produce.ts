/**
 * Kafka produce bench (`npm run bench -- kafka-produce`): how fast kafkajs writes to a real broker, the
 * ceiling for any tributary sink or repartition step built on it.
 * Produces BENCH_PRODUCE_RECORDS (default 200,000) keyed records of BENCH_PRODUCE_VALUE_BYTES (default
 * 100) to a 3-partition topic with acks=all (-1), once per scenario: sequential sends of 100, 1,000 and
 * 10,000 records, and 4 sends of 1,000 in flight at once. Messages are built before timing starts, so
 * the figures are kafkajs encoding + network + broker; 50,000 records warm both JITs up first.
 * Uses KAFKA_BROKERS, or starts a broker (.kafka/run/bench) and stops it after.
 * Prints a table, then one JSON line.
 */
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import {
  type Measurement,
  measure,
  peakRssMb,
  printJsonLine,
  printTable,
  withBenchKafka,
} from './harness/index.js';

const RECORDS = Number(process.env.BENCH_PRODUCE_RECORDS ?? 200_000);
const VALUE_BYTES = Number(process.env.BENCH_PRODUCE_VALUE_BYTES ?? 100);
const KEYS = 1000;
const PARTITIONS = 3;
const WARM_UP_RECORDS = Math.min(RECORDS, 50_000);

interface Scenario {
  name: string;
  batch: number;
  inFlight: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'sequential', batch: 100, inFlight: 1 },
  { name: 'sequential', batch: 1000, inFlight: 1 },
  { name: 'sequential', batch: 10_000, inFlight: 1 },
  { name: 'pipelined', batch: 1000, inFlight: 4 },
];

/** The same records for every scenario: keys spread over partitions, values of a fixed size. */
function buildMessages(): Message[] {
  const messages: Message[] = new Array(RECORDS);
  const filler = 'x'.repeat(VALUE_BYTES);
  for (let i = 0; i < RECORDS; i++) {
    const seq = String(i);
    messages[i] = {
      key: `host-${i % KEYS}`,
      value: Buffer.from(seq + filler.slice(seq.length)),
    };
  }
  return messages;
}

/** Sends all messages in batches of `batch`, with up to `inFlight` sends awaiting acks at once. */
async function produceAll(
  producer: Producer,
  topic: string,
  messages: Message[],
  s: Scenario,
): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const from = next;
      next += s.batch;
      await producer.send({ topic, acks: -1, messages: messages.slice(from, from + s.batch) });
    }
  };
  await Promise.all(Array.from({ length: s.inFlight }, lane));
  return messages.length;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(RECORDS) && RECORDS > 0 && Number.isInteger(VALUE_BYTES) && VALUE_BYTES >= 8)) {
    throw new Error(
      `BENCH_PRODUCE_RECORDS must be a positive whole number and BENCH_PRODUCE_VALUE_BYTES at least 8; ` +
        `got ${process.env.BENCH_PRODUCE_RECORDS} and ${process.env.BENCH_PRODUCE_VALUE_BYTES}`,
    );
  }
  const messages = buildMessages();
  const results = await withBenchKafka(async (brokers) => {
    const kafka = new Kafka({ clientId: 'bench-kafka-produce', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const run = Date.now();
    const topics = SCENARIOS.map((_, i) => `bench-produce-${run}-${i}`);
    const warmUpTopic = `bench-produce-${run}-warm-up`;
    await admin.createTopics({
      topics: [...topics, warmUpTopic].map((topic) => ({ topic, numPartitions: PARTITIONS })),
      waitForLeaders: true,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // Warm-up of both JITs (the broker's and ours), so the first scenario is not penalised for going first.
      await produceAll(producer, warmUpTopic, messages.slice(0, WARM_UP_RECORDS), SCENARIOS[1]!);
      const measured: Array<Scenario & Measurement> = [];
      for (const [i, scenario] of SCENARIOS.entries()) {
        const topic = topics[i]!;
        // Warm-up: connections to every partition leader and the metadata for this topic.
        await producer.send({ topic, acks: -1, messages: messages.slice(0, 1000) });
        measured.push({
          ...scenario,
          ...(await measure(() => produceAll(producer, topic, messages, scenario))),
        });
      }
      return measured;
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [...topics, warmUpTopic] }).catch(() => {});
      await admin.disconnect();
    }
  });

  const bytes = RECORDS * VALUE_BYTES;
  printTable(
    `kafka-produce: ${RECORDS.toLocaleString('en-US')} records of ${VALUE_BYTES} B, ${PARTITIONS} partitions, acks=all, kafkajs, no compression`,
    results.map((r) => ({
      scenario: r.name,
      batch: r.batch,
      'in flight': r.inFlight,
      seconds: Math.round(r.elapsedMs) / 1000,
      'records/s': Math.round(r.recordsPerSec),
      'MB/s (values)': Math.round((bytes / 1e6 / (r.elapsedMs / 1000)) * 10) / 10,
    })),
  );
  const headline = results.find((r) => r.name === 'sequential' && r.batch === 1000)!;
  printJsonLine({
    bench: 'kafka-produce',
    records: RECORDS,
    valueBytes: VALUE_BYTES,
    partitions: PARTITIONS,
    recordsPerSec: Math.round(headline.recordsPerSec),
    scenarios: results.map((r) => ({
      name: r.name,
      batch: r.batch,
      inFlight: r.inFlight,
      elapsedMs: Math.round(r.elapsedMs),
      recordsPerSec: Math.round(r.recordsPerSec),
    })),
    peakRssMb: peakRssMb(),
    node: process.version,
    brokers: process.env.KAFKA_BROKERS ? 'KAFKA_BROKERS' : 'bench-started',
  });
}

await main();
