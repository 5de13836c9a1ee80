/**
 * A task that loses its partition in a rebalance with writes its changelog has not seen drops its
 * persistent store (it would be ahead of its checkpoint); the new owner counts from the changelog.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

function countApp(
  input: string,
  output: string,
  applicationId: string,
  stateDir: string,
  commitIntervalMs: number,
) {
  const b = new StreamsBuilder();
  b.stream<string | null, string | null>(input, { key: stringSerde, value: stringSerde })
    .groupByKey()
    .count({ name: 'counts', store: 'persistent' })
    .toStream()
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  return new StreamsApp(b.build(), {
    applicationId,
    stateDir,
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

describe('StreamsApp on Kafka: revoked tasks', () => {
  it('deletes a revoked persistent store that is ahead of its changelog; counts stay exact', async () => {
    const input = await createTopic('words', 2);
    const output = uniqueName('counts');
    const applicationId = uniqueName('revoke');
    const base = recentBase();
    await produce(
      input,
      Array.from({ length: 200 }, (_, i) => ({ key: `w${i % 10}`, value: 'x', timestamp: base + i })),
    );
    const dir1 = mkdtempSync(join(tmpdir(), 'tributary-revoke-1-'));
    // Never commits on its own while the test runs: all its writes stay uncommitted.
    const first = countApp(input, output, applicationId, dir1, 600_000);
    await first.start();
    await until(() => first.metrics().get('records.in') === 200, 'the first instance to read everything');
    const storeDir = (partition: number) => join(dir1, applicationId, `0_${partition}`, 'counts-store');
    expect([existsSync(storeDir(0)), existsSync(storeDir(1))]).toEqual([true, true]);

    const second = countApp(
      input,
      output,
      applicationId,
      mkdtempSync(join(tmpdir(), 'tributary-revoke-2-')),
      200,
    );
    await second.start();
    await second.whenDone();
    const moved = [0, 1].filter((p) => {
      try {
        second.store('counts-store', p);
        return true;
      } catch {
        return false;
      }
    });
    expect(moved).toHaveLength(1);
    const kept = 1 - moved[0]!;
    expect(existsSync(storeDir(moved[0]!))).toBe(false);
    expect(existsSync(storeDir(kept))).toBe(true);

    await first.close();
    await second.close();
    const last = new Map<string, number>();
    await readTopic(output, (rs) => {
      const r = rs[rs.length - 1]!;
      last.set(r.key!, JSON.parse(r.value!) as number);
      return last.size === 10 && [...last.values()].every((v) => v === 20);
    });
    expect([...last.values()]).toEqual(Array(10).fill(20));
  }, 90_000);
});
