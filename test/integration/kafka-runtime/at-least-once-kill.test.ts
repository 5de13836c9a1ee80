/**
 * At-least-once on Kafka: an instance killed with SIGKILL in the middle of a stream loses nothing;
 * its replacement picks up from the last committed offsets (some records may come out twice).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { startChildApp } from './child-app.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

describe('StreamsApp on Kafka: at-least-once', () => {
  it('a replacement for a SIGKILLed instance produces every record at least once', async () => {
    const input = await createTopic('words', 2);
    const output = uniqueName('upper');
    const total = 4000;
    const base = recentBase();
    await produce(
      input,
      Array.from({ length: total }, (_, i) => ({
        key: `k${i % 50}`,
        value: `word-${i}`,
        timestamp: base + i,
      })),
    );
    const env = {
      BROKERS: brokers().join(','),
      INPUT: input,
      OUTPUT: output,
      APP_ID: uniqueName('alo'),
      STATE_DIR: mkdtempSync(join(tmpdir(), 'tributary-alo-')),
      MODE: 'map',
      SPIN_US: '1500',
    };
    const first = startChildApp(env);
    await first.waitForState('RUNNING');
    const before = await readTopic(output, (rs) => rs.length >= 300);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const seenAtKill = (await readTopic(output, () => false, 2000)).length;
    expect(before.length).toBeGreaterThanOrEqual(300);
    expect(seenAtKill).toBeLessThan(total);

    const second = startChildApp({ ...env, SPIN_US: '0' });
    await second.waitForState('RUNNING');
    const values = new Set<string>();
    const all = await readTopic(
      output,
      (rs) => {
        values.add(rs[rs.length - 1]!.value!);
        return values.size >= total;
      },
      45_000,
    );
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const expected = Array.from({ length: total }, (_, i) => `WORD-${i}`);
    expect([...values].sort()).toEqual(expected.sort());
    expect(all.length).toBeGreaterThanOrEqual(total);
  }, 120_000);
});
