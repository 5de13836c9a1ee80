import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';

/** Bootstrap address of the broker the global setup started (or KAFKA_BROKERS). */
export function brokers(): string[] {
  return inject('kafkaBrokers').split(',');
}

/** A kafkajs client for tests, quiet unless DEBUG_KAFKAJS is set. */
export function testKafka(clientId = 'tributary-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers(),
    logLevel: process.env.DEBUG_KAFKAJS ? logLevel.DEBUG : logLevel.NOTHING,
  });
}

/** A topic or group name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
