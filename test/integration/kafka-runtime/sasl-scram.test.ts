/**
 * SASL/SCRAM against a real broker: its own broker with a SASL_PLAINTEXT listener that knows one user
 * for SCRAM-SHA-256 and SCRAM-SHA-512. A StreamsApp with `kafka.sasl` runs a topology end to end on
 * that listener with either mechanism; a wrong password fails start() with an error that names the
 * user and what to check, and the password appears neither in the error nor in anything logged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { KafkaSasl } from '../../../src/runtime/kafka/kafka-options.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { uniqueName } from '../../helpers/kafka.js';
import { produce, readTopic, recentBase } from './kafka-test-io.js';
import { createSettledTopic, kafkaAt, startOwnBroker, stopOwnBrokers } from './own-broker.js';

const username = 'netmon-app';
const password = `pw-${Math.random().toString(36).slice(2)}`;
let saslBrokers: string[];
let plain: Kafka;

beforeAll(async () => {
  const broker = await startOwnBroker({ scram: { users: [{ username, password }] } });
  if (!broker.saslBootstrap) throw new Error('the broker was started without its SCRAM listener');
  saslBrokers = broker.saslBootstrap.split(',');
  plain = kafkaAt(broker.bootstrap); // set-up and checks go through the PLAINTEXT listener
}, 120_000);
afterAll(stopOwnBrokers);

/** Counts words per key from `input` into `output`. */
function wordCount(input: string, output: string) {
  const b = new StreamsBuilder();
  b.stream<string, string>(input, { key: stringSerde, value: stringSerde })
    .groupBy((_, word) => word)
    .count({ name: 'words' })
    .toStream()
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  return b.build();
}

function appWith(sasl: KafkaSasl, input: string, output: string): StreamsApp {
  return new StreamsApp(wordCount(input, output), {
    applicationId: uniqueName('scram'),
    stateDir: mkdtempSync(join(tmpdir(), 'tributary-scram-')),
    commitIntervalMs: 200,
    kafka: { brokers: saslBrokers, sasl },
  });
}

describe('StreamsApp on Kafka with SASL/SCRAM', () => {
  it.each(['scram-sha-256', 'scram-sha-512'] as const)(
    'runs a topology end to end with %s',
    async (mechanism) => {
      const input = await createSettledTopic(plain, 'words', 2, 1);
      const output = uniqueName('word-counts');
      const words = ['dns', 'tls', 'dns', 'http', 'dns', 'tls'];
      const base = recentBase();
      await produce(
        input,
        words.map((w, i) => ({ key: `k${i}`, value: w, timestamp: base + i })),
        plain,
      );
      const app = appWith({ mechanism, username, password }, input, output);
      try {
        await app.start();
        await app.whenDone();
      } finally {
        await app.close();
      }
      const latest = new Map<string, number>();
      await readTopic(
        output,
        (rs) => {
          const r = rs[rs.length - 1]!;
          latest.set(r.key!, JSON.parse(r.value!) as number);
          return latest.get('dns') === 3 && latest.get('tls') === 2 && latest.get('http') === 1;
        },
        30_000,
        plain,
      );
      const expected = new Map<string, number>();
      for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);
      expect(new Map([...latest].sort())).toEqual(new Map([...expected].sort()));
    },
  );

  it('fails to start with a clear error on a wrong password, which it never shows or logs', async () => {
    const wrong = `${password}-wrong`;
    const input = await createSettledTopic(plain, 'words', 1, 1);
    const logged: string[] = [];
    const capture = (...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(capture),
    );
    const writes = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      }),
    );
    const app = appWith({ mechanism: 'scram-sha-256', username, password: wrong }, input, uniqueName('out'));
    let failure: Error | undefined;
    let stateAfterFailure: string | undefined;
    try {
      await app.start();
    } catch (error) {
      failure = error as Error;
      stateAfterFailure = app.state;
    } finally {
      for (const spy of [...spies, ...writes]) spy.mockRestore();
      await app.close();
    }
    expect(failure?.name).toBe('KafkaAuthenticationError');
    expect(failure?.message).toContain(`refused user "${username}" (scram-sha-256)`);
    expect(failure?.message).toContain('Check kafka.sasl');
    expect(stateAfterFailure).toBe('ERROR');
    // Neither the password tried nor the real one, anywhere: message, stack, causes, logs.
    const seen = [failure?.message, failure?.stack, String(failure?.cause), ...logged].join('\n');
    for (const secret of [wrong, password]) expect(seen).not.toContain(secret);
    expect(logged.join('\n')).toContain('SASL'); // kafkajs did log the failure, without the password
  });
});
