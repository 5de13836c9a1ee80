/**
 * Interactive queries across two instances of one app on the real broker, each in its own process
 * with its own query server: A names B as the holder of B's keys (and its HTTP API answers 421
 * pointing there), B answers them, and once B stops, A takes the partitions over, restores them
 * from the changelog and answers the same keys itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, recentBase } from '../kafka-runtime/kafka-test-io.js';
import { type QueryChild, startQueryChild } from './query-child.js';

const KEYS = 20;
/** Key k<i> gets i + 1 records. */
const expectedCount = (key: string) => Number(key.slice(1)) + 1;
const children: QueryChild[] = [];

afterAll(() => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function getJson(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls `check` until it returns a value (not undefined); returns it. */
async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last error: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startInstance(
  input: string,
  applicationId: string,
): Promise<{ child: QueryChild; port: number }> {
  const child = startQueryChild({
    BROKERS: brokers().join(','),
    INPUT: input,
    APP_ID: applicationId,
    STATE_DIR: mkdtempSync(join(tmpdir(), 'tributary-query-')),
  });
  children.push(child);
  const port = Number(await child.line('SERVING '));
  await child.line('STATE RUNNING');
  return { child, port };
}

describe('interactive queries: two instances on Kafka', () => {
  it('points to the instance holding a key, and answers it locally after that instance leaves', async () => {
    const input = await createTopic('query-input', 4);
    const base = recentBase();
    const messages = [];
    for (let i = 0; i < KEYS; i++)
      for (let n = 0; n <= i; n++)
        messages.push({ key: `k${i}`, value: 'x', timestamp: base + messages.length });
    await produce(input, messages);
    const applicationId = uniqueName('queries');

    const a = await startInstance(input, applicationId);
    const b = await startInstance(input, applicationId);
    // The group settled with both: each instance holds some partitions.
    await until(async () => {
      const { status, body } = await getJson(a.port, '/metadata');
      const instances = body.instances as { port: number; partitions: unknown[] }[] | undefined;
      if (status === 200 && instances?.length === 2 && instances.every((i) => i.partitions.length > 0))
        return true;
      throw new Error(`A answered ${status} ${JSON.stringify(body)}; stderr: ${a.child.stderr()}`);
    }, 'both instances in the group');

    // A names B as the holder of some key.
    const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`);
    const keyOnB = await until(async () => {
      for (const key of keys) {
        const { status, body } = await getJson(a.port, `/stores/counts/metadata/${key}`);
        if (status !== 200) return undefined;
        if (body.port === b.port) {
          expect(body).toMatchObject({ host: '127.0.0.1', local: false });
          return key;
        }
      }
      throw new Error('A names no key as held by B');
    }, 'a key held by B');

    // A's HTTP API sends the caller to B...
    const redirect = await getJson(a.port, `/stores/counts/keys/${keyOnB}`);
    expect(redirect.status).toBe(421);
    expect(redirect.body).toMatchObject({ host: '127.0.0.1', port: b.port });
    // ...and B answers it (once it has restored and caught up).
    await until(async () => {
      const { status, body } = await getJson(b.port, `/stores/counts/keys/${keyOnB}`);
      return status === 200 && body.value === expectedCount(keyOnB) ? true : undefined;
    }, `B to answer ${keyOnB}`);
    expect((await getJson(b.port, `/stores/counts/metadata/${keyOnB}`)).body).toMatchObject({
      port: b.port,
      local: true,
    });

    // B leaves; A takes its partitions over, restores them from the changelog and answers.
    b.child.process.kill('SIGTERM');
    expect(await b.child.exited).toBe(0);
    await until(async () => {
      const answer = await getJson(a.port, `/stores/counts/keys/${keyOnB}`);
      if (answer.status === 200 && answer.body.value === expectedCount(keyOnB)) return true;
      throw new Error(
        `A answered ${answer.status} ${JSON.stringify(answer.body)}; stderr: ${a.child.stderr()}`,
      );
    }, `A to answer ${keyOnB} after B left`);
    expect((await getJson(a.port, `/stores/counts/metadata/${keyOnB}`)).body).toMatchObject({
      port: a.port,
      local: true,
    });
    const { body } = await getJson(a.port, '/metadata');
    expect((body.instances as { port: number }[]).map((i) => i.port)).toEqual([a.port]);
    // Every key is now answered by A with its full count.
    const all = await getJson(a.port, `/stores/counts/all?limit=${KEYS}`);
    const counts = new Map(
      (all.body.entries as { key: string; value: number }[]).map((e) => [e.key, e.value]),
    );
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(keys.map((k) => [k, expectedCount(k)])));

    a.child.process.kill('SIGTERM');
    expect(await a.child.exited).toBe(0);
  }, 240_000);
});
