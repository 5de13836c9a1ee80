/**
 * Brokers that fault tests start for themselves (never the suite's shared one): each in its own folder
 * under the OS temp dir, with small fast-starting JVMs, stopped and removed by stopOwnBrokers().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type StartOptions, type StartResult, startKafka, stopKafka } from '../../../scripts/kafka/broker.js';

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
