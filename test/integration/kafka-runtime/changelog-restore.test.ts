/**
 * Changelog-backed state on Kafka: counts survive losing the state directory (restored from the
 * compacted changelog topic), and a persistent store with its checkpoint restores only the tail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { RestoreProgress } from '../../../src/runtime/kafka/kafka-options.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

function countApp(
  input: string,
  output: string,
  applicationId: string,
  stateDir: string,
  store: 'memory' | 'persistent',
  progress: RestoreProgress[],
) {
  const b = new StreamsBuilder();
  b.stream<string | null, string | null>(input, { key: stringSerde, value: stringSerde })
    .groupByKey()
    .count({ name: 'word-counts', store })
    .toStream()
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  return new StreamsApp(b.build(), {
    applicationId,
    stateDir,
    commitIntervalMs: 200,
    kafka: { brokers: brokers(), onRestoreProgress: (p) => progress.push(p) },
  });
}

const words = (n: number, from: number, base: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `w${(from + i) % 10}`,
    value: 'x',
    timestamp: base + from + i,
  }));

/** The last count per key in the output topic once every key reached `expected`. */
async function lastCounts(output: string, expected: Map<string, number>): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  await readTopic(output, (rs) => {
    const r = rs[rs.length - 1]!;
    last.set(r.key!, JSON.parse(r.value!) as number);
    return [...expected].every(([k, v]) => last.get(k) === v);
  });
  return last;
}

describe('StreamsApp on Kafka: changelog-backed state', () => {
  for (const store of ['memory', 'persistent'] as const) {
    it(`restores ${store} counts from the changelog after the state directory is deleted`, async () => {
      const base = recentBase();
      const input = await createTopic('words', 2);
      const output = uniqueName('word-counts');
      const applicationId = uniqueName('restore');
      const progress: RestoreProgress[] = [];
      await produce(input, words(300, 0, base));
      const dir1 = mkdtempSync(join(tmpdir(), 'tributary-restore-'));
      const first = countApp(input, output, applicationId, dir1, store, progress);
      await first.start();
      await first.whenDone();
      await first.close();
      rmSync(dir1, { recursive: true, force: true });

      // count({ name }) names its store "<name>-store".
      const changelog = `${applicationId}-word-counts-store-changelog`;
      const admin = testKafka().admin();
      await admin.connect();
      const configs = await admin.describeConfigs({
        resources: [{ type: 2, name: changelog, configNames: ['cleanup.policy'] }],
        includeSynonyms: false,
      });
      const partitions = await admin.fetchTopicOffsets(changelog);
      await admin.disconnect();
      expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('compact');
      expect(partitions).toHaveLength(2);

      await produce(input, words(100, 300, base));
      progress.length = 0;
      const second = countApp(
        input,
        output,
        applicationId,
        mkdtempSync(join(tmpdir(), 'tributary-restore-')),
        store,
        progress,
      );
      await second.start();
      await second.whenDone();
      const expected = new Map(Array.from({ length: 10 }, (_, i) => [`w${i}`, 40] as const));
      expect(await lastCounts(output, expected)).toEqual(expected);
      const restored = second.metrics().get('restore.records') ?? 0;
      await second.close();
      // Every key's count was restored (10 keys, one changelog entry each at least).
      expect(restored).toBeGreaterThanOrEqual(10);
      expect(
        progress
          .filter((p) => p.done)
          .map((p) => p.partition)
          .sort(),
      ).toEqual([0, 1]);
    });
  }

  it('a persistent store kept on disk restores only what its checkpoint has not seen', async () => {
    const base = recentBase();
    const input = await createTopic('words', 1);
    const output = uniqueName('word-counts');
    const applicationId = uniqueName('restore-cp');
    const stateDir = mkdtempSync(join(tmpdir(), 'tributary-restore-'));
    const progress: RestoreProgress[] = [];
    await produce(input, words(200, 0, base));
    const first = countApp(input, output, applicationId, stateDir, 'persistent', progress);
    await first.start();
    await first.whenDone();
    await first.close();

    await produce(input, words(50, 200, base));
    const second = countApp(input, output, applicationId, stateDir, 'persistent', progress);
    await second.start();
    await second.whenDone();
    const expected = new Map(Array.from({ length: 10 }, (_, i) => [`w${i}`, 25] as const));
    expect(await lastCounts(output, expected)).toEqual(expected);
    const restored = second.metrics().get('restore.records');
    await second.close();
    expect(restored).toBe(0);
  });
});
