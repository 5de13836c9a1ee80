/**
 * Exactly-once building blocks on the real broker: a transaction's records are visible to
 * read_committed readers only once it commits (never when it aborts), a second producer with the
 * same transactional id fences the first (a zombie), and an app that fails mid-stream leaves on
 * its output exactly the records whose input offsets it committed.
 */
import { describe, expect, it } from 'vitest';
import { KafkajsClient } from '../../../src/connectors/kafka/kafkajs-client.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { AppState } from '../../../src/runtime/app/app-state.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { OutgoingMessage } from '../../../src/runtime/kafka/client-port.js';
import { ProducerFencedError } from '../../../src/runtime/kafka/transaction-failure.js';
import { stringSerde } from '../../../src/runtime/serde.js';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

const message = (topic: string, value: string): OutgoingMessage => ({
  topic,
  partition: 0,
  key: Buffer.from('k'),
  value: Buffer.from(value),
});

describe('Kafka transactions (exactly-once building blocks)', () => {
  it('records of an aborted transaction stay invisible to read_committed readers', async () => {
    const topic = await createTopic('tx-abort', 1);
    const client = new KafkajsClient({ brokers: brokers() });
    const producer = client.producer({ transactionalId: uniqueName('tx-abort') });
    await producer.connect();
    try {
      const aborted = await producer.transaction();
      await aborted.send(['a1', 'a2', 'a3'].map((v) => message(topic, v)));
      await aborted.abort();
      const committed = await producer.transaction();
      await committed.send(['c1', 'c2'].map((v) => message(topic, v)));
      await committed.commit();
    } finally {
      await producer.disconnect();
    }
    const records = await readTopic(topic, (rs) => rs.length >= 2, 15_000);
    // A little longer: an aborted record showing up late would fail the test.
    const settled = await readTopic(topic, (rs) => rs.length > 2, 2000);
    expect(settled.map((r) => r.value)).toEqual(['c1', 'c2']);
    expect(records.map((r) => r.value)).toEqual(['c1', 'c2']);
    // The aborted records and both markers are in the log all the same: 3 + 1 + 2 + 1 offsets.
    const admin = client.admin();
    await admin.connect();
    expect((await admin.endOffsets(topic)).get(0)).toBe(7);
    await admin.disconnect();
  }, 60_000);

  it('a second producer with the same transactional id fences the first (zombie)', async () => {
    const topic = await createTopic('tx-zombie', 1);
    const client = new KafkajsClient({ brokers: brokers() });
    const id = uniqueName('tx-zombie');
    const zombie = client.producer({ transactionalId: id });
    const successor = client.producer({ transactionalId: id });
    await zombie.connect();
    await successor.connect();
    try {
      const old = await zombie.transaction();
      await old.send([message(topic, 'zombie-1')]);
      // Initialising the successor bumps the epoch and aborts the zombie's open transaction.
      const current = await successor.transaction();
      await current.send([message(topic, 'successor-1')]);
      await current.commit();
      const late = async () => {
        await old.send([message(topic, 'zombie-2')]);
        await old.commit();
      };
      await expect(late()).rejects.toBeInstanceOf(ProducerFencedError);
    } finally {
      await zombie.disconnect().catch(() => {});
      await successor.disconnect();
    }
    const records = await readTopic(topic, (rs) => rs.length >= 1, 15_000);
    const settled = await readTopic(topic, (rs) => rs.length > 1, 2000);
    expect(settled.map((r) => r.value)).toEqual(['successor-1']);
    expect(records.map((r) => r.value)).toEqual(['successor-1']);
  }, 60_000);

  it('an app failing mid-transaction: what it sent since its last commit never becomes visible', async () => {
    const input = await createTopic('tx-fail-in', 1);
    const output = uniqueName('tx-fail-out');
    const base = recentBase();
    const batch = (from: number) =>
      Array.from({ length: 1000 }, (_, i) => ({
        key: `k${i % 7}`,
        value: String(from + i),
        timestamp: base + from + i,
      }));
    const b = new StreamsBuilder();
    b.stream<string, string>(input, { key: stringSerde, value: stringSerde })
      .mapValues((v) => {
        if (v === 'poison') throw new Error('poison record');
        return `out-${v}`;
      })
      .to(output, { key: stringSerde, value: stringSerde });
    const topology = b.build();
    const applicationId = uniqueName('tx-fail');
    const options = (commitIntervalMs: number) => ({
      applicationId,
      commitIntervalMs,
      kafka: { brokers: brokers(), guarantee: 'exactly-once' as const },
    });

    // First run: 1000 records processed and committed, then a graceful close.
    await produce(input, batch(0));
    const first = new StreamsApp(topology, options(50));
    await first.start();
    await first.whenDone();
    await first.close();

    // Second run never reaches a commit: 1000 more records are sent in its open transaction, then
    // a poison record fails it and the transaction is aborted.
    await produce(input, batch(1000));
    const second = new StreamsApp(topology, options(600_000));
    const failed = new Promise<void>((resolve) =>
      second.onStateChange((s: AppState) => {
        if (s === 'ERROR') resolve();
      }),
    );
    await second.start();
    while ((second.metrics().get('records.out') ?? 0) < 1000) await new Promise((r) => setTimeout(r, 100));
    await produce(input, [{ key: 'k0', value: 'poison', timestamp: base + 5000 }]);
    await failed;
    await second.close();

    const admin = testKafka().admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: applicationId, topics: [input] });
    const [end] = await admin.fetchTopicOffsets(output);
    await admin.disconnect();
    expect(Number(offsets!.partitions[0]!.offset)).toBe(1000);
    // The second run's 1000 outputs are in the log (with markers), aborted.
    expect(Number(end!.high)).toBeGreaterThanOrEqual(2000);
    const records = await readTopic(output, (rs) => rs.length >= 1000, 15_000);
    const settled = await readTopic(output, (rs) => rs.length > 1000, 2000);
    const expected = Array.from({ length: 1000 }, (_, i) => `out-${i}`);
    expect(settled.map((r) => r.value)).toEqual(expected);
    expect(records.length).toBe(1000);
  }, 120_000);
});
