/**
 * Brokers that fault tests start for themselves (never the suite's shared one): each in its own folder
 * under the OS temp dir, with small fast-starting JVMs, stopped and removed by stopOwnBrokers().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type StartOptions, type StartResult, startKafka, stopKafka } from '../../../scripts/kafka/broker.js';
import { uniqueName } from '../../helpers/kafka.js';

const started: string[] = [];

/** A broker or cluster of this test file's own, started in a fresh temp folder. */
export async function startOwnBroker(options: Omit<StartOptions, 'dir' | 'name'> = {}): Promise<StartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-faults-'));
  started.push(dir);
  return startKafka({ heapMb: 256, quickStart: true, log: () => {}, ...options, dir });
}

/** Stops every broker startOwnBroker started and removes its folder (for afterAll, even after a failure). */
export async function stopOwnBrokers(): Promise<void> {
  for (const dir of started.splice(0)) {
    await stopKafka({ dir, timeoutMs: 10_000, log: () => {} }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A quiet kafkajs client for `bootstrap` that waits out short outages (a broker coming back). */
export function kafkaAt(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'tributary-fault-test',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}

/** Sum of the end offsets of every partition of `topic`: how many records it holds. */
export async function recordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic with `partitions` partitions and the broker's default replication, then waits until
 * every partition has a leader and `inSync` replicas in sync (a young cluster may still be settling).
 */
export async function createSettledTopic(
  kafka: Kafka,
  prefix: string,
  partitions: number,
  inSync: number,
): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false });
    let seen = 'no metadata yet';
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
        const settled = meta?.partitions.filter((p) => p.leader >= 0 && p.isr.length >= inSync) ?? [];
        if (settled.length === partitions) return topic;
        seen = `${settled.length} of ${partitions} partitions with a leader and ${inSync} in sync`;
      } catch (error) {
        seen = (error as Error).message; // metadata not everywhere yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`topic ${topic} did not settle in 20 s (${seen})`);
  } finally {
    await admin.disconnect();
  }
}
