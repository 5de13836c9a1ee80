/**
 * Exactly-once across instances: a second instance joins mid-stream (tasks move, the new owner's
 * producer fences the old one's), then the first is SIGKILLed (its tasks move again, its open
 * transactions are aborted). Read with read_committed, every key's count updates are 1..n.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { startChildApp } from './child-app.js';
import { createTopic, produce, type ReadRecord, readTopic, recentBase } from './kafka-test-io.js';

const KEYS = 40;
const TOTAL = 3000;

function updatesByKey(records: readonly ReadRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const ordered = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const r of ordered) out.set(r.key!, [...(out.get(r.key!) ?? []), Number(r.value)]);
  return out;
}

describe('StreamsApp on Kafka: exactly-once with two instances', () => {
  it('a joining instance and a killed one leave every count exactly once', async () => {
    const input = await createTopic('eos-rebalance-in', 4);
    const output = uniqueName('eos-rebalance-out');
    const base = recentBase();
    await produce(
      input,
      Array.from({ length: TOTAL }, (_, i) => ({ key: `k${i % KEYS}`, value: `e${i}`, timestamp: base + i })),
    );
    const env = {
      BROKERS: brokers().join(','),
      INPUT: input,
      OUTPUT: output,
      APP_ID: uniqueName('eos-rebalance'),
      MODE: 'count',
      STORE: 'persistent',
      GUARANTEE: 'exactly-once',
      SPIN_US: '3000',
    };
    const stateDir = () => mkdtempSync(join(tmpdir(), 'tributary-eos-rb-'));
    const first = startChildApp({ ...env, STATE_DIR: stateDir() });
    await first.waitForState('RUNNING');
    await readTopic(output, (rs) => rs.length >= 300, 90_000);
    const second = startChildApp({ ...env, STATE_DIR: stateDir() });
    await second.waitForState('RUNNING');
    const before = await readTopic(output, (rs) => rs.length >= 900, 90_000);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(before.length).toBeLessThan(TOTAL);

    const all = await readTopic(output, (rs) => rs.length >= TOTAL, 120_000);
    const settled = await readTopic(output, (rs) => rs.length > all.length, 2000);
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const updates = updatesByKey(settled.length >= all.length ? settled : all);
    expect(updates.size).toBe(KEYS);
    const expected = Array.from({ length: TOTAL / KEYS }, (_, i) => i + 1);
    for (const [key, counts] of updates) expect(counts, `updates of ${key}`).toEqual(expected);
  }, 300_000);
});
