/**
 * Issue 4: a clean rebalance must not double-count. An instance that keeps a partition through a
 * rebalance keeps its task's in-memory state; kafkajs resumes the partition from the last committed
 * offset, so records processed but not yet committed must not be processed a second time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

function countApp(input: string, output: string, applicationId: string, commitIntervalMs: number) {
  const b = new StreamsBuilder();
  b.stream<string | null, string | null>(input, { key: stringSerde, value: stringSerde })
    .groupByKey()
    .count({ name: 'counts' })
    .toStream()
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  return new StreamsApp(b.build(), {
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), 'tributary-rebalance-')),
    commitIntervalMs,
    kafka: { brokers: brokers(), sessionTimeoutMs: 6000 },
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Number of records in `topic`, summed over its partitions. */
async function recordCount(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('StreamsApp on Kafka: clean rebalances', () => {
  it('a partition kept through a rebalance is not reprocessed from its last commit', async () => {
    const input = await createTopic('words', 2);
    const output = uniqueName('counts');
    const applicationId = uniqueName('rebalance');
    const keys = 10;
    const perKey = 20;
    const base = recentBase();
    await produce(
      input,
      Array.from({ length: keys * perKey }, (_, i) => ({
        key: `w${i % keys}`,
        value: 'x',
        timestamp: base + i,
      })),
    );
    // Never commits on its own while the test runs: everything it read is uncommitted at the rebalance.
    const first = countApp(input, output, applicationId, 600_000);
    await first.start();
    await until(() => first.metrics().get('records.in') === keys * perKey, 'the first instance to read all');

    // Joins: one partition moves to it, the first instance keeps the other (a clean rebalance).
    const second = countApp(input, output, applicationId, 200);
    await second.start();
    await second.whenDone();
    await until(() => (first.metrics().get('rebalances') ?? 0) >= 2, 'the first instance to rejoin');
    // kafkajs fetches the kept partition right after the rejoin; whenDone() took longer than that.
    await first.close();
    await second.close();

    const total = await recordCount(output);
    const records = await readTopic(output, (rs) => rs.length >= total);
    expect(records).toHaveLength(total);
    const highest = new Map<string, number>();
    for (const r of records) {
      const count = JSON.parse(r.value!) as number;
      highest.set(r.key!, Math.max(highest.get(r.key!) ?? 0, count));
    }
    expect(new Map([...highest].sort())).toEqual(
      new Map(Array.from({ length: keys }, (_, i) => [`w${i}`, perKey] as const).sort()),
    );
    expect(first.metrics().get('records.in')).toBe(keys * perKey);
  }, 120_000);
});
