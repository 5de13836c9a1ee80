import { readState, startKafka, stopKafka } from '../../scripts/kafka/broker.js';
import { runDir } from '../../scripts/kafka/paths.js';
import { isNodeAlive } from '../../scripts/kafka/process.js';

/** Run-folder name (.kafka/run/bench) of the broker benches start when KAFKA_BROKERS is not set. */
export const BENCH_KAFKA_NAME = 'bench';

/**
 * Set by `npm run bench` while it runs several benches: the first bench that needs a broker starts it
 * and leaves it running for the next ones; the runner stops it at the end.
 */
export const SHARED_KAFKA_ENV = 'TRIBUTARY_BENCH_SHARED_KAFKA';

/**
 * Runs `fn` with the bootstrap brokers of a real Kafka: KAFKA_BROKERS when set, otherwise a broker
 * started in .kafka/run/bench (full-speed JVM settings) and stopped afterwards, unless it was already
 * running or the bench runner shares it. Broker progress goes to stderr, keeping stdout for figures.
 */
export async function withBenchKafka<T>(fn: (brokers: string[]) => Promise<T>): Promise<T> {
  const given = process.env.KAFKA_BROKERS;
  if (given) return fn(given.split(','));
  const log = (line: string) => console.error(`[kafka] ${line}`);
  const started = await startKafka({ name: BENCH_KAFKA_NAME, log });
  try {
    return await fn(started.bootstrap.split(','));
  } finally {
    if (!started.alreadyRunning && !process.env[SHARED_KAFKA_ENV])
      await stopKafka({ name: BENCH_KAFKA_NAME, log });
  }
}

/** True when the benches' own broker (.kafka/run/bench) is running now. */
export function benchKafkaRunning(): boolean {
  return readState(runDir(BENCH_KAFKA_NAME))?.nodes.every(isNodeAlive) ?? false;
}
