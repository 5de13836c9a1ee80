/**
 * Repartition topics keep records without a time limit, so the app deletes what it has consumed and
 * committed (Kafka's DeleteRecords, as Kafka Streams does): on the real broker the repartition topic's
 * low watermark moves up to its end once everything is processed, and the counts stay exact.
 * `repartitionPurgeIntervalMs: 0` leaves the topic whole.
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

const HOSTS = 11;
const RECORDS = 900;

/** Counts flows per host: the key change goes through a repartition topic. */
function countingApp(
  input: string,
  output: string,
  applicationId: string,
  repartitionPurgeIntervalMs: number,
) {
  const b = new StreamsBuilder();
  b.stream<string | null, { host: string }>(input, { key: stringSerde, value: jsonSerde<{ host: string }>() })
    .groupBy((_, flow) => flow.host)
    .count({ name: 'flows-per-host' })
    .toStream()
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  return new StreamsApp(b.build(), {
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), 'tributary-purge-')),
    commitIntervalMs: 200,
    kafka: { brokers: brokers(), repartitionPurgeIntervalMs },
  });
}

/** Low and high watermark of every partition of the app's repartition topic. */
async function repartitionWatermarks(applicationId: string) {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(
      (t) => t.startsWith(`${applicationId}-`) && t.endsWith('-repartition'),
    );
    expect(topics).toHaveLength(1);
    // A broker may answer "not the leader" for a moment (retriable): ask again, 20 times at most.
    for (let attempt = 1; ; attempt++) {
      const offsets = await admin.fetchTopicOffsets(topics[0]!).catch((error: unknown) => {
        if (attempt >= 20) throw error;
        return undefined;
      });
      if (offsets)
        return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }));
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Feeds RECORDS flows over HOSTS hosts into a new 3-partition topic; returns it and the expected counts. */
async function feed(): Promise<{ input: string; expected: Map<string, number> }> {
  const input = await createTopic('purge-flows', 3);
  const base = recentBase();
  await produce(
    input,
    Array.from({ length: RECORDS }, (_, i) => ({
      key: `src-${i % 5}`,
      value: JSON.stringify({ host: `10.0.0.${i % HOSTS}` }),
      timestamp: base + i,
    })),
  );
  const expected = new Map<string, number>();
  for (let i = 0; i < RECORDS; i++) {
    const host = `10.0.0.${i % HOSTS}`;
    expected.set(host, (expected.get(host) ?? 0) + 1);
  }
  return { input, expected };
}

/** Reads `output` until the latest count of every host equals `expected`. */
async function latestCounts(output: string, expected: ReadonlyMap<string, number>) {
  const latest = new Map<string, number>();
  await readTopic(output, (rs) => {
    const r = rs[rs.length - 1]!;
    latest.set(r.key!, JSON.parse(r.value!) as number);
    return [...expected].every(([host, n]) => latest.get(host) === n);
  });
  return latest;
}

describe('StreamsApp on Kafka: repartition topics are purged', () => {
  it('deletes committed records from the repartition topic; counts stay exact', async () => {
    const { input, expected } = await feed();
    const output = uniqueName('purge-counts');
    const applicationId = uniqueName('purge');
    const app = countingApp(input, output, applicationId, 500);
    try {
      await app.start();
      await app.whenDone();
      // Everything was read and committed: the purges that follow a commit take each partition's low
      // watermark up to its end.
      let marks = await repartitionWatermarks(applicationId);
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
        if (marks.every((m) => m.low === m.high)) break;
        await new Promise((r) => setTimeout(r, 250));
        marks = await repartitionWatermarks(applicationId);
      }
      expect(marks.map((m) => m.low)).toEqual(marks.map((m) => m.high));
      expect(marks.reduce((n, m) => n + m.high, 0)).toBe(RECORDS);
      expect(marks.every((m) => m.high > 0)).toBe(true);
      expect(app.metrics().get('repartition.purges')).toBeGreaterThan(0);
      expect(app.metrics().get('repartition.purge.failures')).toBeUndefined();
      expect(new Map([...(await latestCounts(output, expected))].sort())).toEqual(
        new Map([...expected].sort()),
      );
      expect(app.error).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('keeps every record with repartitionPurgeIntervalMs: 0', async () => {
    const { input, expected } = await feed();
    const output = uniqueName('kept-counts');
    const applicationId = uniqueName('no-purge');
    const app = countingApp(input, output, applicationId, 0);
    try {
      await app.start();
      await app.whenDone();
      await latestCounts(output, expected);
      // Commits went on all along (every 200 ms): none of them purged anything.
      const marks = await repartitionWatermarks(applicationId);
      expect(marks.reduce((n, m) => n + m.high, 0)).toBe(RECORDS);
      expect(marks.every((m) => m.low === 0)).toBe(true);
      expect(app.metrics().get('repartition.purges')).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
