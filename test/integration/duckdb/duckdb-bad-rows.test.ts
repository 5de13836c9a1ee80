/**
 * Rows that do not fit the table, beyond the string-in-a-DOUBLE case of duckdb-sink.test.ts: values
 * out of a column's range or unparseable, constraints of a table the user created (checked by DuckDB
 * itself), and a row mapper that throws. Each must reject the batch with a DuckDbSinkError that says
 * which record and column, keep nothing of that batch, and leave earlier and later batches intact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DuckDbColumnSpec,
  type DuckDbSink,
  DuckDbSinkError,
  duckDbSink,
} from '../../../src/connectors/duckdb/index.js';
import type { StreamRecord } from '../../../src/runtime/record.js';

type Row = Record<string, unknown>;

function record(value: Row, i = 0): StreamRecord<string, Row> {
  return { key: `k${i}`, value, timestamp: 1_700_000_000_000 + i };
}

let dir: string;
const open: Array<DuckDbSink<string, Row>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-duckdb-bad-'));
});
afterEach(async () => {
  for (const sink of open.splice(0)) await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failureOf(promise: Promise<unknown>): Promise<DuckDbSinkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DuckDbSinkError);
  return error as DuckDbSinkError;
}

describe.each(['appender', 'insert'] as const)('DuckDB sink rows that do not fit (%s)', (writeMethod) => {
  async function sinkWith(
    columns: DuckDbColumnSpec,
    options: { toRow?: (r: StreamRecord<string, Row>) => Row } = {},
  ) {
    const sink = await duckDbSink<string, Row>({
      database: join(dir, 'bad.duckdb'),
      table: 'readings',
      writeMethod,
      columns,
      ...options,
    });
    open.push(sink);
    return sink;
  }

  it.each([
    [
      'an INTEGER out of 32-bit range',
      { n: 'INTEGER' },
      { n: 2 ** 40 },
      /record #1 of the batch, column "n": the number value 1099511627776 does not fit a INTEGER column/,
    ],
    [
      'a fractional number in a BIGINT',
      { n: 'BIGINT' },
      { n: 1.5 },
      /record #1 of the batch, column "n": the number value 1.5 does not fit a BIGINT column/,
    ],
    [
      'an unparseable TIMESTAMP',
      { n: 'TIMESTAMP' },
      { n: 'yesterday-ish' },
      /record #1 of the batch, column "n": the string value "yesterday-ish" does not fit a TIMESTAMP column/,
    ],
    [
      'a string in a BOOLEAN',
      { n: 'BOOLEAN' },
      { n: 'yes' },
      /record #1 of the batch, column "n": the string value "yes" does not fit a BOOLEAN column/,
    ],
    [
      'a number in a BLOB',
      { n: 'BLOB' },
      { n: 7 },
      /record #1 of the batch, column "n": the number value 7 does not fit a BLOB column/,
    ],
  ] as const)(
    'rejects %s, naming record and column, and keeps the other batches',
    async (_what, columns, bad, message) => {
      const sink = await sinkWith(columns as DuckDbColumnSpec);
      const fits = (columns as DuckDbColumnSpec).n === 'BLOB' ? { n: new Uint8Array([1]) } : { n: null };
      await sink.write([record({ id: 1, ...fits })]);
      const error = await failureOf(sink.write([record(fits, 0), record(bad, 1), record(fits, 2)]));
      expect(error.message).toMatch(message);
      expect(error.message).toContain('could not write a batch of 3 records');
      expect(error.table).toBe('readings');
      await sink.write([record(fits, 3)]);
      expect(await sink.query('SELECT count(*)::INTEGER AS n FROM readings')).toEqual([{ n: 2 }]);
    },
  );

  it('rejects rows that break the constraints of a table the user created, keeping nothing of the batch', async () => {
    const file = join(dir, 'bad.duckdb');
    const setup = await DuckDBInstance.create(file);
    const connection = await setup.connect();
    await connection.run('CREATE TABLE readings (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL)');
    connection.closeSync();
    setup.closeSync();

    const sink = await duckDbSink<string, Row>({ database: file, table: 'readings', writeMethod });
    open.push(sink);
    await sink.write([record({ id: 1, name: 'a' })]);
    const nullName = await failureOf(
      sink.write([record({ id: 2, name: 'b' }), record({ id: 3, name: null })]),
    );
    expect(nullName.message).toMatch(/could not write a batch of 2 records: .*NOT NULL/i);
    const duplicate = await failureOf(
      sink.write([record({ id: 4, name: 'd' }), record({ id: 1, name: 'again' })]),
    );
    expect(duplicate.message).toMatch(
      /could not write a batch of 2 records: .*(duplicate key|PRIMARY KEY|unique)/i,
    );
    await sink.write([record({ id: 5, name: 'e' })]);
    expect(await sink.query('SELECT id, name FROM readings ORDER BY id')).toEqual([
      { id: 1, name: 'a' },
      { id: 5, name: 'e' },
    ]);
  });

  it("rejects a batch whose row mapper throws, with the mapper's message, and carries on", async () => {
    const sink = await sinkWith(
      { id: 'INTEGER' },
      {
        toRow: (r) => {
          if (r.value.id === 2) throw new Error('reading 2 has no id field');
          return r.value;
        },
      },
    );
    await sink.write([record({ id: 1 })]);
    const error = await failureOf(sink.write([record({ id: 3 }), record({ id: 2 })]));
    expect(error.message).toContain('could not write a batch of 2 records: reading 2 has no id field');
    await sink.write([record({ id: 4 })]);
    expect(await sink.query('SELECT id FROM readings ORDER BY id')).toEqual([{ id: 1 }, { id: 4 }]);
  });
});
