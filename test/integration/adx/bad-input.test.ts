/**
 * The ADX sink's bad-input checklist, end to end through the real azure-kusto-ingest SDK and the
 * local Kusto stand-in (streaming endpoint): each case must end in a clear error or a dead-letter
 * call, and every other row must still reach the stand-in.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AdxIngestError,
  type AdxRow,
  type AdxSinkOptions,
  adxSink,
  STREAMING_MAX_BYTES,
} from '../../../src/connectors/adx/index.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { KustoStandIn, kustoError } from '../../helpers/kusto-stand-in.js';

interface Reading {
  id: number;
  note?: string;
}

let engine: KustoStandIn;

beforeAll(async () => {
  engine = await KustoStandIn.start();
});

afterAll(async () => {
  await engine?.stop();
});

beforeEach(() => {
  engine.requests.length = 0;
});

function reading(id: number, note?: string): StreamRecord<string, Reading> {
  return { key: `k${id}`, value: note === undefined ? { id } : { id, note }, timestamp: id };
}

/** The ids of the rows each streaming request carried, in order. */
function idsPerRequest(): number[][] {
  return engine.ingestRequests().map((request) =>
    request.body
      .toString('utf8')
      .split('\n')
      .filter((line) => line)
      .map((line) => (JSON.parse(line) as Reading).id),
  );
}

interface DeadLetter {
  rows: ReadonlyArray<AdxRow>;
  error: AdxIngestError;
}

function sink(overrides: Partial<AdxSinkOptions<string, Reading>> = {}) {
  const dead: DeadLetter[] = [];
  const logLines: string[] = [];
  const log = (fields: Record<string, unknown>, message: string) =>
    void logLines.push(`${JSON.stringify(fields)} ${message}`);
  const s = adxSink<string, Reading>({
    clusterUrl: engine.url,
    database: 'NetMon',
    table: 'Readings',
    auth: { kind: 'none' },
    ingestion: 'streaming',
    mappingName: 'ReadingsMapping',
    rowMapper: (r) => ({ id: r.value.id, note: r.value.note ?? null }),
    batch: { maxDelay: '1h' },
    retry: { maxAttempts: 4, initialDelay: 5, maxDelay: 20 },
    onDeadLetter: (rows, error) => void dead.push({ rows, error }),
    logger: { warn: log, error: log },
    ...overrides,
  });
  return { sink: s, dead, logLines };
}

describe('ADX sink bad input (streaming, real SDK, Kusto stand-in)', () => {
  it('dead-letters a record the row mapper cannot handle, naming the table, and ingests the rest', async () => {
    const { sink: s, dead } = sink({
      rowMapper: (r) => {
        if (r.value.id === 2) throw new Error('reading 2 has no sensor id');
        return { id: r.value.id };
      },
    });
    await s.write([reading(1), reading(2), reading(3)]);
    await s.close();

    expect(idsPerRequest()).toEqual([[1, 3]]);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.rows).toEqual([{ key: 'k2', value: { id: 2 }, timestamp: 2 }]);
    const error = dead[0]!.error;
    expect(error.permanent).toBe(true);
    expect(error.details).toMatchObject({ reason: 'unencodable record', rowCount: 1, table: 'Readings' });
    expect(error.message).toContain('could not be turned into a row (reading 2 has no sensor id)');
    expect(error.message).toContain('NetMon.Readings');
    expect(s.stats()).toMatchObject({ rowsIngested: 2, rowsDeadLettered: 1, rowsPending: 0 });
  });

  it('without a dead-letter door, rejects the whole write and accepts none of its records', async () => {
    const { sink: s, logLines } = sink({
      onDeadLetter: undefined,
      batch: { maxRows: 2, maxDelay: '1h' },
      rowMapper: (r) => {
        if (r.value.id === 23) throw new Error('reading 23 has no sensor id');
        return { id: r.value.id };
      },
    });
    // maxRows 2: before the check, records 21 and 22 would have been ingested ahead of 23.
    const error = (await s
      .write([reading(21), reading(22), reading(23)])
      .catch((e: unknown) => e)) as AdxIngestError;
    expect(error).toMatchObject({ name: 'AdxIngestError', permanent: true });
    expect(error.details).toMatchObject({ reason: 'unencodable record', rowCount: 1 });
    expect(error.message).toContain('could not be turned into a row (reading 23 has no sensor id)');
    expect(error.message).toContain(
      '1 of the 3 records of this write could not be sent, so none of them was accepted',
    );
    expect(s.stats()).toMatchObject({ rowsPending: 0, rowsIngested: 0 });
    expect(logLines).toHaveLength(1);
    await s.write([reading(24)]);
    await s.close();
    expect(idsPerRequest()).toEqual([[24]]);
  });

  it('dead-letters a row the JSON encoder cannot encode (a cycle), and ingests the rest', async () => {
    const { sink: s, dead } = sink({
      rowMapper: (r) => {
        const row: Record<string, unknown> = { id: r.value.id };
        if (r.value.id === 5) row.self = row;
        return row;
      },
    });
    await s.write([reading(4), reading(5), reading(6)]);
    await s.close();

    expect(idsPerRequest()).toEqual([[4, 6]]);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.rows[0]).toMatchObject({ id: 5 });
    expect(dead[0]!.error.message).toMatch(/could not be turned into a row \(.*circular/i);
  });

  it('dead-letters a row over the 4 MB streaming limit without sending it, and ingests the rest', async () => {
    const { sink: s, dead } = sink();
    const huge = 'x'.repeat(STREAMING_MAX_BYTES);
    await s.write([reading(7), reading(8, huge), reading(9)]);
    await s.close();

    expect(idsPerRequest()).toEqual([[7, 9]]);
    for (const request of engine.ingestRequests()) expect(request.body.length).toBeLessThan(1024);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.rows).toEqual([{ id: 8, note: huge }]);
    const error = dead[0]!.error;
    expect(error.details).toMatchObject({ reason: 'row too large', rowCount: 1 });
    expect(error.message).toMatch(/is larger than one streaming request \(\d+ bytes\)/);
    expect(error.message.length).toBeLessThan(1000);
  });

  it('retries HTTP 429 (with and without a Kusto error body) and then ingests the same batch once', async () => {
    engine.scriptIngest(
      {
        status: 429,
        body: kustoError('TooManyRequests', 'Request was throttled: rate limit exceeded', false),
      },
      { status: 429 },
    );
    const { sink: s, dead, logLines } = sink();
    await s.write([reading(10), reading(11)]);
    await s.flush();
    await s.close();

    expect(idsPerRequest()).toEqual([
      [10, 11],
      [10, 11],
      [10, 11],
    ]);
    expect(dead).toEqual([]);
    expect(s.stats()).toMatchObject({ rowsIngested: 2, batchesIngested: 1, retries: 2, rowsPending: 0 });
    expect(logLines).toHaveLength(2);
    expect(logLines[0]).toContain('HTTP 429');
    expect(logLines[0]).toContain('retrying');
  });

  it('without a dead-letter door, throttling that outlasts the retries keeps the batch and says so', async () => {
    const throttled = { status: 429, body: kustoError('TooManyRequests', 'throttled', false) };
    engine.scriptIngest(throttled, throttled);
    const { sink: s } = sink({ retry: { maxAttempts: 2, initialDelay: 1, maxDelay: 2 } });
    await s.write([reading(12)]);
    const error = (await s.flush().catch((e: unknown) => e)) as AdxIngestError;
    expect(error).toMatchObject({ name: 'AdxIngestError', permanent: false });
    expect(error.details).toMatchObject({ status: 429, attempts: 2 });
    expect(error.message).toContain('The batch is kept and retried');
    expect(s.stats().rowsPending).toBe(1);
    await s.flush(); // the stand-in accepts again
    await s.close();
    expect(idsPerRequest()).toEqual([[12], [12], [12]]);
    expect(s.stats()).toMatchObject({ rowsIngested: 1, rowsPending: 0 });
  });

  it.each([
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
  ])(
    'HTTP %i is not retried: the rows go to the dead-letter door, and the token appears nowhere',
    async (status, code) => {
      const token = `eyJ0eXAi.stand-in-${status}-token.Zm9vYmFy`;
      // A misbehaving proxy that echoes the credential back: the sink must still not repeat it.
      engine.scriptIngest({
        status,
        body: kustoError(code, `Principal is not authorized (Authorization: Bearer ${token})`, true),
      });
      const { sink: s, dead, logLines } = sink({ auth: { kind: 'accessToken', token } });
      await s.write([reading(13), reading(14)]);
      await s.flush();
      await s.write([reading(15)]);
      await s.close();

      const requests = engine.ingestRequests();
      expect(requests).toHaveLength(2);
      expect(requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
      expect(idsPerRequest()).toEqual([[13, 14], [15]]);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.rows).toEqual([
        { id: 13, note: null },
        { id: 14, note: null },
      ]);
      const error = dead[0]!.error;
      expect(error.permanent).toBe(true);
      expect(error.details).toMatchObject({ status, attempts: 1, rowCount: 2 });
      expect(error.message).toContain('Principal is not authorized');
      expect(error.message).toContain('Ingestor role on database NetMon');
      const everything = [inspect(error, { depth: 10 }), ...logLines].join('\n');
      expect(everything).toContain('[REDACTED]');
      expect(everything).not.toContain(token);
      expect(s.stats()).toMatchObject({ rowsIngested: 1, rowsDeadLettered: 2, retries: 0 });
    },
  );
});
