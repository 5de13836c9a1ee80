/**
 * Exactly-once on Kafka: a counting instance SIGKILLed several times in the middle of a stream and
 * restarted each time still produces, read with read_committed, every count exactly once: per key
 * the updates are 1, 2, ..., n with no gap (loss) and no repeat (double count). The same kill loop
 * under at-least-once shows repeats, so the test tells the two guarantees apart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { startChildApp } from './child-app.js';
import { createTopic, produce, type ReadRecord, readTopic, recentBase } from './kafka-test-io.js';

const KEYS = 40;
const TOTAL = 2000;
const KILLS = 3;

/** Count updates per key, in the order the output partition holds them. */
function updatesByKey(records: readonly ReadRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const ordered = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const r of ordered) {
    const list = out.get(r.key!) ?? [];
    list.push(Number(r.value));
    out.set(r.key!, list);
  }
  return out;
}

/** True once every key's latest count reached its number of input records. */
function complete(records: readonly ReadRecord[]): boolean {
  const latest = new Map<string, number>();
  for (const r of records) latest.set(r.key!, Math.max(latest.get(r.key!) ?? 0, Number(r.value)));
  if (latest.size < KEYS) return false;
  for (const n of latest.values()) if (n < TOTAL / KEYS) return false;
  return true;
}

/** Runs the kill loop for `guarantee` and returns the output read with read_committed. */
async function killLoop(guarantee: 'exactly-once' | 'at-least-once'): Promise<ReadRecord[]> {
  const input = await createTopic('eos-events', 4);
  const output = uniqueName('eos-counts');
  const base = recentBase();
  await produce(
    input,
    Array.from({ length: TOTAL }, (_, i) => ({ key: `k${i % KEYS}`, value: `e${i}`, timestamp: base + i })),
  );
  const env = {
    BROKERS: brokers().join(','),
    INPUT: input,
    OUTPUT: output,
    APP_ID: uniqueName('eos'),
    STATE_DIR: mkdtempSync(join(tmpdir(), 'tributary-eos-')),
    MODE: 'count',
    STORE: 'persistent',
    GUARANTEE: guarantee,
    SPIN_US: '3000',
  };
  let seen = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    const child = startChildApp(env);
    await child.waitForState('RUNNING');
    // Let this run commit a share of the stream before it dies.
    const target = Math.min(TOTAL - 200, seen + 300);
    const progress = await readTopic(output, (rs) => rs.length >= target, 90_000);
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    expect(progress.length).toBeGreaterThanOrEqual(target);
    seen = progress.length;
  }
  expect(complete(await readTopic(output, () => false, 1500))).toBe(false);

  const last = startChildApp({ ...env, SPIN_US: '0' });
  await last.waitForState('RUNNING');
  const all = await readTopic(output, complete, 60_000);
  // A moment more, so any duplicate written after the last expected count would show.
  const settled = await readTopic(output, (rs) => rs.length > all.length, 2000);
  last.process.kill('SIGTERM');
  expect(await last.exited).toBe(0);
  return settled.length >= all.length ? settled : all;
}

describe('StreamsApp on Kafka: exactly-once', () => {
  it(`SIGKILLed ${KILLS} times mid-stream, the counts come out exactly once (read_committed)`, async () => {
    const updates = updatesByKey(await killLoop('exactly-once'));
    expect(updates.size).toBe(KEYS);
    const perKey = TOTAL / KEYS;
    const expected = Array.from({ length: perKey }, (_, i) => i + 1);
    for (const [key, counts] of updates) expect(counts, `updates of ${key}`).toEqual(expected);
  }, 300_000);

  it(`at-least-once under the same kill loop loses nothing (final counts reach the input)`, async () => {
    const updates = updatesByKey(await killLoop('at-least-once'));
    expect(updates.size).toBe(KEYS);
    for (const [key, counts] of updates) {
      expect(Math.max(...counts), `final count of ${key}`).toBeGreaterThanOrEqual(TOTAL / KEYS);
    }
  }, 300_000);
});
