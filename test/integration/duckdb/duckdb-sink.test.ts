import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DuckDbSink, DuckDbSinkError, duckDbSink } from '../../../src/connectors/duckdb/index.js';
import type { StreamRecord } from '../../../src/runtime/record.js';

function record<V>(value: V, timestamp = 1_700_000_000_000, key = 'k'): StreamRecord<string, V> {
  return { key, value, timestamp };
}

let dir: string;
const open: Array<DuckDbSink<unknown, unknown>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-duckdb-'));
});
afterEach(async () => {
  for (const sink of open.splice(0)) await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sinkFor<V>(
  options: Omit<Parameters<typeof duckDbSink<string, V>>[0], 'database'> & { file?: string },
) {
  const sink = await duckDbSink<string, V>({
    database: join(dir, options.file ?? 'test.duckdb'),
    ...options,
  });
  open.push(sink as DuckDbSink<unknown, unknown>);
  return sink;
}

describe.each(['appender', 'insert'] as const)('DuckDB sink (%s)', (writeMethod) => {
  it('creates the table from the first batch, mapping JS types to columns, and stores every field', async () => {
    interface Stat {
      srcIp: string;
      count: number;
      avgRttMs: number | null;
      bytes: bigint;
      alert: boolean;
      windowStart: Date;
      protocols: string[];
      extra: { ttl: number } | null;
      note: null;
      raw: Uint8Array;
    }
    const sink = await sinkFor<Stat>({ table: 'stats', writeMethod });
    const rows: Stat[] = [
      {
        srcIp: '10.0.0.1',
        count: 3,
        avgRttMs: 1.25,
        bytes: 9_007_199_254_740_993n,
        alert: false,
        windowStart: new Date('2024-01-01T00:00:00Z'),
        protocols: ['eth', 'ip', 'tcp'],
        extra: { ttl: 64 },
        note: null,
        raw: Buffer.from([0xde, 0xad]),
      },
      {
        srcIp: '10.0.0.2',
        count: 7,
        avgRttMs: null,
        bytes: 5n,
        alert: true,
        windowStart: new Date('2024-01-01T00:01:00Z'),
        protocols: [],
        extra: null,
        note: null,
        raw: new Uint8Array([]),
      },
    ];
    await sink.write(rows.map((r) => record(r)));

    expect(sink.columns).toEqual([
      { name: 'srcIp', type: 'VARCHAR' },
      { name: 'count', type: 'DOUBLE' },
      { name: 'avgRttMs', type: 'DOUBLE' },
      { name: 'bytes', type: 'BIGINT' },
      { name: 'alert', type: 'BOOLEAN' },
      { name: 'windowStart', type: 'TIMESTAMP' },
      { name: 'protocols', type: 'JSON' },
      { name: 'extra', type: 'JSON' },
      { name: 'note', type: 'JSON' },
      { name: 'raw', type: 'BLOB' },
    ]);
    const stored = await sink.query('SELECT * FROM stats ORDER BY srcIp');
    expect(stored).toEqual([
      {
        srcIp: '10.0.0.1',
        count: 3,
        avgRttMs: 1.25,
        bytes: 9_007_199_254_740_993n,
        alert: false,
        windowStart: new Date('2024-01-01T00:00:00Z'),
        protocols: '["eth","ip","tcp"]',
        extra: '{"ttl":64}',
        note: null,
        raw: Buffer.from([0xde, 0xad]),
      },
      {
        srcIp: '10.0.0.2',
        count: 7,
        avgRttMs: null,
        bytes: 5n,
        alert: true,
        windowStart: new Date('2024-01-01T00:01:00Z'),
        protocols: '[]',
        extra: null,
        note: null,
        raw: Buffer.alloc(0),
      },
    ]);
    // JSON columns are queryable with DuckDB's JSON functions.
    const ttl = await sink.query<{ ttl: string }>(
      "SELECT extra->>'$.ttl' AS ttl FROM stats WHERE extra IS NOT NULL",
    );
    expect(ttl).toEqual([{ ttl: '64' }]);
  });

  it('uses an explicit column spec and a row mapper, and stores NULL for fields a row lacks', async () => {
    const sink = await sinkFor<{ n: number; label?: string }>({
      table: 'explicit',
      writeMethod,
      columns: { key: 'VARCHAR', n: 'INTEGER', label: 'VARCHAR', at: 'TIMESTAMP' },
      toRow: (r) => ({ key: r.key, n: r.value.n, label: r.value.label, at: r.timestamp }),
    });
    await sink.write([record({ n: 1, label: 'one' }, 1_000, 'a'), record({ n: 2 }, 2_000, 'b')]);
    const described = await sink.query<{ column_name: string; column_type: string }>('DESCRIBE explicit');
    expect(described.map((c) => [c.column_name, c.column_type])).toEqual([
      ['key', 'VARCHAR'],
      ['n', 'INTEGER'],
      ['label', 'VARCHAR'],
      ['at', 'TIMESTAMP'],
    ]);
    expect(await sink.query('SELECT * FROM explicit ORDER BY n')).toEqual([
      { key: 'a', n: 1, label: 'one', at: new Date(1_000) },
      { key: 'b', n: 2, label: null, at: new Date(2_000) },
    ]);
    expect(await sink.query('SELECT n FROM explicit WHERE key = $1', ['b'])).toEqual([{ n: 2 }]);
  });

  it('stores key, value and timestamp for values that are not plain objects', async () => {
    const sink = await sinkFor<number>({ table: 'scalars', writeMethod });
    await sink.write([record(42, 5_000, 'x')]);
    expect(await sink.query('SELECT * FROM scalars')).toEqual([
      { key: 'x', value: 42, timestamp: new Date(5_000) },
    ]);
  });

  it('writes a batch whole or not at all: a value that does not fit rejects with a DuckDbSinkError', async () => {
    const file = join(dir, 'test.duckdb');
    const sink = await sinkFor<{ n: number | string }>({
      table: 'atomic',
      writeMethod,
      columns: { n: 'DOUBLE' },
    });
    await sink.write([record({ n: 1 })]);
    // 300 rows: the insert method has already run its first 256-row statement when row #290 fails.
    const bad = Array.from({ length: 300 }, (_, i) =>
      record<{ n: number | string }>({ n: i === 290 ? 'three' : 2 }),
    );
    const failure = await sink.write(bad).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DuckDbSinkError);
    const error = failure as DuckDbSinkError;
    expect(error.table).toBe('atomic');
    expect(error.file).toBe(file);
    expect(error.message).toContain('table "atomic"');
    expect(error.message).toContain(file);
    expect(error.message).toContain('record #290 of the batch, column "n"');
    expect(error.message).toContain('"three"');
    // Nothing of the failed batch was kept, and the sink goes on writing.
    expect(await sink.query('SELECT n FROM atomic ORDER BY n')).toEqual([{ n: 1 }]);
    await sink.write([record({ n: 5 }), record({ n: 6 })]);
    expect(await sink.query('SELECT n FROM atomic ORDER BY n')).toEqual([{ n: 1 }, { n: 5 }, { n: 6 }]);
  });

  it('writes batches larger than one insert statement or appender chunk', async () => {
    const sink = await sinkFor<{ i: number; s: string }>({ table: 'big', writeMethod });
    const batch = Array.from({ length: 5_000 }, (_, i) => record({ i, s: `row-${i}` }));
    await sink.write(batch);
    await sink.write(batch.slice(0, 300));
    const [summary] = await sink.query<{ n: bigint; total: number; distinct: bigint }>(
      'SELECT count(*) AS n, sum(i) AS total, count(DISTINCT s) AS distinct FROM big',
    );
    expect(summary).toEqual({ n: 5_300n, total: (4_999 * 5_000) / 2 + (299 * 300) / 2, distinct: 5_000n });
  });
});

describe('DuckDB sink lifecycle', () => {
  it('reopens an existing table after a restart, keeping its rows and its columns', async () => {
    const first = await sinkFor<{ a: number; b: string }>({ table: 't' });
    await first.write([record({ a: 1, b: 'x' })]);
    await first.close();

    const second = await sinkFor<{ a: number; b: string; c: boolean }>({ table: 't' });
    await second.write([record({ a: 2, b: 'y', c: true })]);
    expect(second.columns).toEqual([
      { name: 'a', type: 'DOUBLE' },
      { name: 'b', type: 'VARCHAR' },
    ]);
    expect(await second.query('SELECT * FROM t ORDER BY a')).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });

  it('closes safely twice, and rejects writes and queries after close with a clear error', async () => {
    const sink = await sinkFor<{ a: number }>({ table: 'closing' });
    await sink.write([record({ a: 1 })]);
    await sink.flush();
    await Promise.all([sink.close(), sink.close()]);
    await sink.close();
    await expect(sink.write([record({ a: 2 })])).rejects.toThrow(/table "closing".*the sink is closed/);
    await expect(sink.query('SELECT 1')).rejects.toThrow(DuckDbSinkError);
    // The file was released: another instance can open it and sees the committed row.
    const reader = await DuckDBInstance.create(join(dir, 'test.duckdb'));
    const connection = await reader.connect();
    const rows = (await connection.runAndReadAll('SELECT a FROM closing')).getRowObjectsJS();
    connection.closeSync();
    reader.closeSync();
    expect(rows).toEqual([{ a: 1 }]);
  });

  it('shares one DuckDB instance between sinks of different tables, leaving it open on close', async () => {
    const instance = await DuckDBInstance.create(join(dir, 'shared.duckdb'));
    const packets = await duckDbSink<string, { n: number }>({ database: instance, table: 'packets' });
    const alerts = await duckDbSink<string, { n: number }>({ database: instance, table: 'alerts' });
    await packets.write([record({ n: 1 })]);
    await alerts.write([record({ n: 2 })]);
    await packets.close();
    expect(await alerts.query('SELECT (SELECT n FROM packets) AS p, (SELECT n FROM alerts) AS a')).toEqual([
      { p: 1, a: 2 },
    ]);
    await alerts.close();
    instance.closeSync();
  });

  it('fails to open with a DuckDbSinkError naming the file when its folder does not exist', async () => {
    const missing = join(dir, 'no-such-folder', 'x.duckdb');
    await expect(duckDbSink({ database: missing, table: 'x' })).rejects.toThrow(
      new RegExp(`table "x" could not open database file "${missing}"`),
    );
  });
});
