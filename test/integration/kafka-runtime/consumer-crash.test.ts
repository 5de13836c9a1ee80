/**
 * The app's consumer crashes on an error kafkajs does not restart after (CRASH with restart=false): the
 * app must not stay up consuming nothing, it goes to ERROR with an error that names the group, the
 * broker's error and what to change. Provoked for real on the suite's broker: a session timeout the
 * broker refuses, and a group id already used by a consumer of another kind.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { AppState } from '../../../src/runtime/app/app-state.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { KafkaOptions } from '../../../src/runtime/kafka/kafka-options.js';
import { stringSerde } from '../../../src/runtime/serde.js';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { waitUntil } from './fault-workload.js';
import { createTopic } from './kafka-test-io.js';

function upperCaseApp(input: string, applicationId: string, kafka: Partial<KafkaOptions> = {}) {
  const b = new StreamsBuilder();
  b.stream<string | null, string>(input, { key: stringSerde, value: stringSerde })
    .mapValues((v) => v.toUpperCase())
    .to(uniqueName('upper'), { key: stringSerde, value: stringSerde });
  const app = new StreamsApp(b.build(), {
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), 'tributary-crash-')),
    kafka: { brokers: brokers(), ...kafka },
  });
  const states: AppState[] = [];
  app.onStateChange((next) => states.push(next));
  return { app, states };
}

/** Starts `app` and waits until it is in ERROR (it must not stay up idle); returns its error. */
async function failureOf(app: StreamsApp, states: AppState[]): Promise<Error> {
  await app.start().catch(() => {}); // whether start() itself rejects is not the point; the state is
  await waitUntil(
    'the app to fail',
    () => app.state === 'ERROR',
    30_000,
    () => `(states ${states})`,
  );
  expect(states.at(-1)).toBe('ERROR');
  expect(app.error).toBeDefined();
  return app.error!;
}

describe('StreamsApp on Kafka: the consumer crashes for good', () => {
  it('goes to ERROR when the broker refuses the session timeout, saying which setting to change', async () => {
    const input = await createTopic('crash-session', 1);
    const applicationId = uniqueName('crash-session');
    // The broker accepts 6 s to 30 min (group.min/max.session.timeout.ms): 2 s is refused at join.
    const { app, states } = upperCaseApp(input, applicationId, { sessionTimeoutMs: 2000 });
    try {
      const error = await failureOf(app, states);
      expect(error.message).toContain(`The Kafka consumer of group "${applicationId}" crashed`);
      expect(error.message).toContain('INVALID_SESSION_TIMEOUT');
      expect(error.message).toContain('kafka.sessionTimeoutMs must lie within');
      expect(states).not.toContain('RUNNING');
    } finally {
      await app.close();
    }
  });

  it('goes to ERROR when another kind of consumer already uses its group id', async () => {
    const input = await createTopic('crash-protocol', 1);
    const applicationId = uniqueName('crash-protocol');
    // A plain kafkajs consumer (round-robin assignor) holds the group the app's id names.
    const other = testKafka().consumer({ groupId: applicationId });
    await other.connect();
    await other.subscribe({ topic: input, fromBeginning: true });
    const joined = new Promise<void>((resolve) => other.on(other.events.GROUP_JOIN, () => resolve()));
    await other.run({ eachMessage: async () => {} });
    await joined;
    const { app, states } = upperCaseApp(input, applicationId);
    try {
      const error = await failureOf(app, states);
      expect(error.message).toContain(`The Kafka consumer of group "${applicationId}" crashed`);
      expect(error.message).toContain('INCONSISTENT_GROUP_PROTOCOL');
      expect(error.message).toContain('give this app an applicationId of its own');
    } finally {
      await app.close();
      await other.disconnect();
    }
  });
});
