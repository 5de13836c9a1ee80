import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { type QueryServer, queryServer } from '../../../src/runtime/query/query-server.js';

const MINUTE = 60_000;
let app: StreamsApp;
let server: QueryServer;

/** Hosts h0..h9 send n+1 packets each, 30 s apart from t=0. */
const packets = Array.from({ length: 10 }, (_, n) =>
  Array.from({ length: n + 1 }, (_, i) => ({ key: `h${n}`, value: 100 + i, timestamp: i * 30_000 })),
).flat();

beforeAll(async () => {
  const b = new StreamsBuilder();
  const grouped = b.stream<string, number>('packets', { partitions: 2 }).groupByKey();
  grouped.count({ name: 'counts', storeName: 'counts' });
  grouped
    .windowedBy(windows.tumbling({ size: '1m', grace: '1h' }))
    .count({ name: 'm', storeName: 'per-minute' });
  grouped.windowedBy(windows.session({ gap: '1m', grace: '1h' })).count({ name: 's', storeName: 'sessions' });
  app = new StreamsApp(b.build(), { applicationId: 'query-http' });
  await app.start();
  app.send('packets', packets);
  await app.whenDone();
  server = await queryServer(app, { maxResults: 5 });
});

afterAll(async () => {
  await server.close();
  await app.close();
});

async function get(path: string, init?: RequestInit) {
  const response = await fetch(`${server.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the query server on an embedded app', () => {
  it('binds 127.0.0.1 and lists the stores with their kinds', async () => {
    expect(server.host).toBe('127.0.0.1');
    const { status, body } = await get('/stores');
    expect(status).toBe(200);
    expect(body.stores).toEqual(
      expect.arrayContaining([
        { name: 'counts', kind: 'key-value' },
        { name: 'per-minute', kind: 'window' },
        { name: 'sessions', kind: 'session' },
      ]),
    );
    expect(await get('/stores/per-minute')).toEqual({
      status: 200,
      body: { name: 'per-minute', kind: 'window' },
    });
  });

  it('answers key lookups: the value, or 404 when absent', async () => {
    expect(await get('/stores/counts/keys/h3')).toEqual({ status: 200, body: { key: 'h3', value: 4 } });
    expect(await get(`/stores/counts/keys/${encodeURIComponent('"h4"')}?keyFormat=json`)).toEqual({
      status: 200,
      body: { key: 'h4', value: 5 },
    });
    const absent = await get('/stores/counts/keys/h99');
    expect(absent.status).toBe(404);
    expect(absent.body.error).toContain('h99');
  });

  it('answers ranges and scans in key order, cut at the limit with truncated: true', async () => {
    expect(await get('/stores/counts/range?from=h2&to=h4')).toEqual({
      status: 200,
      body: {
        entries: [
          { key: 'h2', value: 3 },
          { key: 'h3', value: 4 },
          { key: 'h4', value: 5 },
        ],
        truncated: false,
      },
    });
    const all = await get('/stores/counts/all');
    expect(all.body.truncated).toBe(true);
    expect((all.body.entries as { key: string }[]).map((e) => e.key)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);
    const two = await get('/stores/counts/all?limit=2');
    expect((two.body.entries as unknown[]).length).toBe(2);
  });

  it('fetches windows of a key or of every key, and sessions of a key', async () => {
    // h3: packets at 0, 30, 60, 90 s: two per minute.
    expect(await get('/stores/per-minute/windows?key=h3')).toEqual({
      status: 200,
      body: {
        entries: [
          { key: 'h3', windowStart: 0, value: 2 },
          { key: 'h3', windowStart: MINUTE, value: 2 },
        ],
        truncated: false,
      },
    });
    const minuteTwo = await get(`/stores/per-minute/windows?from=${2 * MINUTE}&to=${2 * MINUTE}`);
    // Hosts with at least 5 packets reach minute 2 (120 s): h4..h9, cut at the limit of 5.
    expect((minuteTwo.body.entries as { key: string }[]).map((e) => e.key)).toEqual([
      'h4',
      'h5',
      'h6',
      'h7',
      'h8',
    ]);
    expect(minuteTwo.body.truncated).toBe(true);
    const iso = await get(`/stores/per-minute/windows?key=h3&from=${new Date(MINUTE).toISOString()}`);
    expect((iso.body.entries as unknown[]).length).toBe(1);
    // A 1-minute gap joins packets 30 s apart into one session.
    expect(await get('/stores/sessions/sessions?key=h2')).toEqual({
      status: 200,
      body: { entries: [{ key: 'h2', session: { start: 0, end: 60_000 }, value: 3 }], truncated: false },
    });
  });

  it('describes this instance and where keys live', async () => {
    const { body } = await get('/metadata');
    expect(body.instances).toEqual([
      {
        local: true,
        stores: ['counts', 'per-minute', 'sessions'],
        partitions: [
          { topic: 'packets', partition: 0 },
          { topic: 'packets', partition: 1 },
        ],
      },
    ]);
    const meta = await get('/stores/counts/metadata/h1');
    expect(meta.body.local).toBe(true);
    expect([0, 1]).toContain(meta.body.partition);
  });

  it('answers bad input with 400 and a message, unknown things with 404, other methods with 405', async () => {
    const bad = [
      '/stores/per-minute/windows?key=h1&from=20&to=10',
      '/stores/per-minute/windows?key=h1&from=yesterday',
      '/stores/counts/keys/%7Bnope?keyFormat=json',
      '/stores/counts/keys/h1?keyFormat=xml',
      '/stores/counts/all?limit=0',
      '/stores/counts/all?limit=6',
      '/stores/counts/range?from=h1',
      '/stores/counts/windows?key=h1',
      '/stores/per-minute/keys/h1',
      '/stores/sessions/sessions',
    ];
    for (const path of bad) {
      const { status, body } = await get(path);
      expect({ path, status }).toEqual({ path, status: 400 });
      expect(typeof body.error).toBe('string');
    }
    const unknown = await get('/stores/nope/keys/h1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.knownStores).toEqual(expect.arrayContaining(['counts', 'per-minute', 'sessions']));
    expect((await get('/nowhere')).status).toBe(404);
    expect((await get('/stores/counts/keys/h1/extra')).status).toBe(404);
    expect((await get('/stores/counts/keys/h1', { method: 'POST' })).status).toBe(405);
  });
});
