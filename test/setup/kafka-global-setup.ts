/**
 * Vitest global setup: one real Apache Kafka broker (KRaft, from Maven Central jars) per test run.
 * When KAFKA_BROKERS is already set, that broker is used and nothing is started or stopped.
 * The broker's files and log live in .kafka/run/vitest-<pid> (git-ignored); it is stopped in teardown,
 * which vitest runs whether tests passed or failed.
 */
import type { TestProject } from 'vitest/node';
import { startKafka, stopKafka } from '../../scripts/kafka/broker.js';

// One folder per test run, so two runs in one checkout never share (or stop) each other's broker.
const RUN_NAME = `vitest-${process.pid}`;

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.KAFKA_BROKERS;
  if (given) {
    project.provide('kafkaBrokers', given);
    return async () => {};
  }
  const result = await startKafka({
    name: RUN_NAME,
    quickStart: true,
    heapMb: 512,
    log: (line) => console.log(`[kafka] ${line}`),
  });
  process.env.KAFKA_BROKERS = result.bootstrap;
  project.provide('kafkaBrokers', result.bootstrap);
  return async () => {
    // A broker that was already running belongs to another test run in this checkout: leave it to that run.
    if (result.alreadyRunning) return;
    await stopKafka({ name: RUN_NAME, log: (line) => console.log(`[kafka] ${line}`) });
  };
}
