/**
 * The sink's batching, flow control and failure handling, with a scripted in-memory transport in
 * place of the SDK (the SDK paths are covered by the integration tests against Azurite and the
 * Kusto stand-in). Backoff sleeps are injected, so nothing here waits on real time.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type AdxIngestError,
  type AdxIngester,
  type AdxRow,
  AdxSink,
  type AdxSinkOptions,
  type SealedBatch,
} from '../../../src/connectors/adx/index.js';
import type { StreamRecord } from '../../../src/runtime/record.js';

class ScriptedIngester implements AdxIngester {
  readonly mode = 'scripted';
  /** Every attempt, in order (a retried batch appears once per attempt). */
  readonly attempts: SealedBatch[] = [];
  /** Errors thrown by the next attempts, in order; then attempts succeed. */
  readonly failures: unknown[] = [];
  gate: Promise<void> | undefined;
  closed = 0;

  async ingest(batch: SealedBatch): Promise<void> {
    this.attempts.push(batch);
    if (this.gate) await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
  }

  close(): void {
    this.closed++;
  }

  rowsOf(i: number): unknown[] {
    return this.attempts[i]!.payload.toString('utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l));
  }
}

function httpError(status: number, message = `Request failed with status code ${status}`): Error {
  return Object.assign(new Error(message), { response: { status } });
}

function rec(n: number, offset = n): StreamRecord<number, { n: number; pad?: string }> {
  return { key: n, value: { n }, timestamp: n, origin: { topic: 'in', partition: 0, offset } };
}

type Options = AdxSinkOptions<number, { n: number; pad?: string }>;

function makeSink(options: Partial<Options> = {}, now: () => number = () => 0) {
  const ingester = new ScriptedIngester();
  const sleeps: number[] = [];
  const sink = new AdxSink<number, { n: number; pad?: string }>(
    {
      clusterUrl: 'https://example.westeurope.kusto.windows.net',
      database: 'NetMon',
      table: 'T',
      auth: { kind: 'none' },
      batch: { maxDelay: '1h' },
      retry: { maxAttempts: 3, initialDelay: 100, maxDelay: 1000 },
      ...options,
    },
    { ingester, sleep: async (ms) => void sleeps.push(ms), random: () => 0, now },
  );
  return { sink, ingester, sleeps };
}

describe('AdxSink batching', () => {
  it('ingests every maxRows rows inside write and keeps the rest for flush', async () => {
    const { sink, ingester } = makeSink({ batch: { maxRows: 3, maxDelay: '1h' } });
    await sink.write([1, 2, 3, 4, 5, 6, 7].map((n) => rec(n)));
    expect(ingester.attempts.map((b) => b.rows.length)).toEqual([3, 3]);
    expect(sink.stats()).toMatchObject({ rowsIngested: 6, batchesIngested: 2, rowsPending: 1 });
    await sink.flush();
    expect(ingester.attempts.map((b) => b.rows.length)).toEqual([3, 3, 1]);
    expect(ingester.rowsOf(2)).toEqual([{ n: 7 }]);
    await sink.flush(); // nothing left: no empty ingestion
    expect(ingester.attempts).toHaveLength(3);
  });

  it('accumulates across writes into one ingestion', async () => {
    const { sink, ingester } = makeSink();
    await sink.write([rec(1)]);
    await sink.write([rec(2), rec(3)]);
    expect(ingester.attempts).toHaveLength(0);
    await sink.close();
    expect(ingester.rowsOf(0)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('never lets a batch grow past maxBytes (a row that would overflow starts the next batch)', async () => {
    // Each line {"n":N} is 7 bytes + newline = 8; 20 bytes hold two rows.
    const { sink, ingester } = makeSink({ batch: { maxBytes: 20, maxDelay: '1h' } });
    await sink.write([1, 2, 3, 4, 5].map((n) => rec(n)));
    await sink.flush();
    expect(ingester.attempts.map((b) => b.rows.length)).toEqual([2, 2, 1]);
    expect(ingester.attempts.every((b) => b.payload.length <= 20)).toBe(true);
  });

  it('ingests when the oldest buffered row reaches maxDelay', async () => {
    let now = 10_000;
    const { sink, ingester } = makeSink({ batch: { maxDelay: '5s' } }, () => now);
    await sink.write([rec(1)]);
    now += 4_999;
    await sink.write([rec(2)]);
    expect(ingester.attempts).toHaveLength(0);
    now += 1;
    await sink.write([rec(3)]);
    expect(ingester.attempts).toHaveLength(1);
    expect(ingester.rowsOf(0)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await sink.close();
  });

  it('ingests on its own (timer) once maxDelay passes with no further writes', async () => {
    const { sink, ingester } = makeSink({ batch: { maxDelay: 1 } });
    await sink.write([rec(1)]);
    await expect.poll(() => ingester.attempts.length).toBe(1);
    expect(sink.stats().rowsPending).toBe(0);
    await sink.close();
    expect(ingester.attempts).toHaveLength(1);
  });

  it('makes write wait for the ingestion it triggers (flow control)', async () => {
    const { sink, ingester } = makeSink({ batch: { maxRows: 1, maxDelay: '1h' } });
    let release!: () => void;
    ingester.gate = new Promise((resolve) => {
      release = resolve;
    });
    let done = false;
    const writing = sink.write([rec(1)]).then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ingester.attempts).toHaveLength(1);
    expect(done).toBe(false);
    release();
    await writing;
    expect(done).toBe(true);
    await sink.close();
  });
});

describe('AdxSink failures', () => {
  it('retries transient failures with backoff and succeeds with the same batch', async () => {
    const { sink, ingester, sleeps } = makeSink();
    ingester.failures.push(httpError(503), httpError(429));
    await sink.write([rec(1)]);
    await sink.flush();
    expect(ingester.attempts).toHaveLength(3);
    expect(new Set(ingester.attempts.map((b) => b.id)).size).toBe(1);
    expect(sleeps).toEqual([50, 100]);
    expect(sink.stats()).toMatchObject({ retries: 2, rowsIngested: 1, batchesIngested: 1 });
  });

  it('sends permanently rejected rows to the dead-letter door and carries on', async () => {
    const dead: Array<[ReadonlyArray<AdxRow>, AdxIngestError]> = [];
    const { sink, ingester } = makeSink({ onDeadLetter: (rows, error) => void dead.push([rows, error]) });
    ingester.failures.push(httpError(400, 'Request failed with status code 400'));
    await sink.write([rec(1), rec(2)]);
    await sink.flush();
    await sink.write([rec(3)]);
    await sink.flush();
    expect(ingester.attempts).toHaveLength(2);
    expect(dead).toHaveLength(1);
    const [rows, error] = dead[0]!;
    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(error).toMatchObject({ name: 'AdxIngestError', permanent: true });
    expect(error.details).toEqual({
      database: 'NetMon',
      table: 'T',
      rowCount: 2,
      batchId: ingester.attempts[0]!.id,
      status: 400,
      attempts: 1,
      reason: 'HTTP 400',
    });
    expect(error.message).toMatch(/scripted ingestion of 2 rows into NetMon\.T was rejected \(HTTP 400/);
    expect(sink.stats()).toMatchObject({ rowsDeadLettered: 2, rowsIngested: 1 });
  });

  it('without a dead-letter door, rejects the call with the rows it could not deliver', async () => {
    const { sink, ingester } = makeSink();
    ingester.failures.push(httpError(403));
    await sink.write([rec(1)]);
    const error = (await sink.flush().catch((e: unknown) => e)) as AdxIngestError;
    expect(error.permanent).toBe(true);
    expect(error.details.rowCount).toBe(1);
    expect(error.message).toContain('the cluster refused an unauthenticated request: set `auth`.');
  });

  it('keeps every row of a write whose batch ran out of retries; the next flush sends them (same id) first', async () => {
    const { sink, ingester } = makeSink({ batch: { maxRows: 2, maxDelay: '1h' } });
    ingester.failures.push(httpError(503), httpError(503), httpError(503));
    const error = (await sink.write([rec(1), rec(2), rec(3)]).catch((e: unknown) => e)) as AdxIngestError;
    expect(error).toMatchObject({ name: 'AdxIngestError', permanent: false, retriable: true });
    expect(error.details.attempts).toBe(3);
    expect(error.message).toContain('The batch is kept and retried');
    // The whole write was accepted before sending: rows 1-2 in the failed batch, row 3 in the open one.
    expect(sink.stats().rowsPending).toBe(3);
    const keptId = ingester.attempts[0]!.id;

    await sink.flush();
    expect(ingester.attempts).toHaveLength(5);
    expect(ingester.attempts[3]!.id).toBe(keptId);
    expect(ingester.rowsOf(3)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(ingester.rowsOf(4)).toEqual([{ n: 3 }]);
    await sink.write([rec(4), rec(5)]);
    expect(ingester.rowsOf(5)).toEqual([{ n: 4 }, { n: 5 }]);
    expect(sink.stats()).toMatchObject({ rowsPending: 0, rowsIngested: 5 });
    await sink.close();
  });

  it('a write during an outage keeps its rows behind the kept batch, in order', async () => {
    const { sink, ingester } = makeSink({ batch: { maxRows: 2, maxDelay: '1h' } });
    ingester.failures.push(...Array.from({ length: 6 }, () => httpError(503)));
    await expect(sink.write([rec(1), rec(2)])).rejects.toMatchObject({ retriable: true });
    await expect(sink.write([rec(3), rec(4)])).rejects.toMatchObject({ retriable: true });
    expect(sink.stats().rowsPending).toBe(4);
    await sink.flush();
    const sent = ingester.attempts.slice(6).map((_, i) => ingester.rowsOf(6 + i));
    expect(sent).toEqual([
      [{ n: 1 }, { n: 2 }],
      [{ n: 3 }, { n: 4 }],
    ]);
    await sink.close();
  });

  it('dead-letters a record the row mapper cannot handle, and keeps the others', async () => {
    const dead: Array<[ReadonlyArray<AdxRow>, AdxIngestError]> = [];
    const { sink, ingester } = makeSink({
      rowMapper: (r) => {
        if (r.key === 2) throw new Error('no srcIp in value');
        return { n: r.value.n };
      },
      onDeadLetter: (rows, error) => void dead.push([rows, error]),
    });
    await sink.write([rec(1), rec(2), rec(3)]);
    await sink.close();
    expect(ingester.rowsOf(0)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(dead).toHaveLength(1);
    expect(dead[0]![0]).toEqual([{ key: 2, value: { n: 2 }, timestamp: 2 }]);
    expect(dead[0]![1].message).toContain('could not be turned into a row (no srcIp in value)');
  });

  it('reports a dead-letter handler that throws instead of hiding the rows', async () => {
    const { sink, ingester } = makeSink({
      onDeadLetter: () => {
        throw new Error('DLQ topic missing');
      },
    });
    ingester.failures.push(httpError(400));
    await sink.write([rec(1)]);
    await expect(sink.flush()).rejects.toThrow(
      /dead-letter handler threw while receiving 1 rejected rows \(DLQ topic missing\)/,
    );
  });

  it('reports a permanent failure of a background (timer) ingestion on the next call', async () => {
    const { sink, ingester } = makeSink({ batch: { maxDelay: 1 } });
    ingester.failures.push(httpError(400));
    await sink.write([rec(1)]);
    await expect.poll(() => ingester.attempts.length).toBe(1);
    await expect(sink.flush()).rejects.toMatchObject({ permanent: true, details: { rowCount: 1 } });
    await sink.flush(); // reported once, then the sink carries on
  });

  it('dead-letters a row too large for one streaming request', async () => {
    const dead: Array<ReadonlyArray<AdxRow>> = [];
    const { sink, ingester } = makeSink({
      ingestion: 'streaming',
      mappingName: 'M',
      onDeadLetter: (rows) => void dead.push(rows),
    });
    await sink.write([{ key: 1, value: { n: 1, pad: 'x'.repeat(4 * 1024 * 1024) }, timestamp: 0 }, rec(2)]);
    await sink.close();
    expect(dead).toHaveLength(1);
    expect(ingester.rowsOf(0)).toEqual([{ n: 2 }]);
  });

  it('keeps the app key out of messages, causes and log lines even when a lower layer echoes it', async () => {
    const secret = 'very-secret-app-key-123';
    const lines: string[] = [];
    const log = (fields: Record<string, unknown>, message: string) =>
      lines.push(JSON.stringify(fields) + message);
    const { sink, ingester } = makeSink({
      auth: { kind: 'appKey', tenantId: 't', clientId: 'c', clientSecret: secret },
      logger: { warn: log, error: log },
    });
    ingester.failures.push(
      httpError(503, `upstream said client_secret=${secret}`),
      httpError(401, `bad key ${secret}`),
    );
    await sink.write([rec(1)]);
    const error = await sink.flush().catch((e: unknown) => e);
    const text = [inspect(error, { depth: 10 }), ...lines].join('\n');
    expect(lines).toHaveLength(2); // one retry warning, one rejection
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain(secret);
  });
});

describe('AdxSink lifecycle', () => {
  it('close flushes, releases the transport once, and is safe to call twice', async () => {
    const { sink, ingester } = makeSink();
    await sink.write([rec(1)]);
    const first = sink.close();
    const second = sink.close();
    expect(second).toBe(first);
    await first;
    expect(ingester.attempts).toHaveLength(1);
    expect(ingester.closed).toBe(1);
    await expect(sink.write([rec(2)])).rejects.toThrow('adx:NetMon.T is closed');
  });

  it('close that cannot deliver says how many rows were not ingested and still releases the transport', async () => {
    const { sink, ingester } = makeSink();
    ingester.failures.push(httpError(503), httpError(503), httpError(503));
    await sink.write([rec(1), rec(2)]);
    await expect(sink.close()).rejects.toThrow(
      /closed with 2 rows not ingested: the last ingestion failed 3 times \(HTTP 503\)/,
    );
    expect(ingester.closed).toBe(1);
  });
});

describe('AdxSink options', () => {
  const base = {
    clusterUrl: 'https://c.kusto.windows.net',
    database: 'D',
    table: 'T',
    auth: { kind: 'none' } as const,
  };
  const parts = { ingester: new ScriptedIngester() };

  it.each([
    [{ clusterUrl: 'not a url' }, /clusterUrl "not a url" is not a URL/],
    [{ clusterUrl: 'ftp://c' }, /must be an https:\/\/ URL/],
    [{ format: 'csv' as const }, /format "csv" needs csvColumns/],
    [{ ingestion: 'streaming' as const }, /streaming ingestion of json into T needs mappingName/],
    [
      { ingestion: 'streaming' as const, mappingName: 'M', batch: { maxBytes: 5_000_000 } },
      /exceeds the streaming ingestion limit/,
    ],
    [{ batch: { maxRows: 0 } }, /batch\.maxRows must be a positive integer, got 0/],
    [{ batch: { maxDelay: 'soon' as never } }, /batch\.maxDelay "soon" is not a duration/],
    [{ table: 'Bad;Table' }, /table "Bad;Table" is not a valid ADX entity name/],
  ])('rejects %j', (override, message) => {
    expect(() => new AdxSink({ ...base, ...override }, parts)).toThrow(message);
  });

  it('names itself after the target unless told otherwise', () => {
    expect(new AdxSink(base, parts).name).toBe('adx:D.T');
    expect(new AdxSink({ ...base, name: 'alerts-to-adx' }, parts).name).toBe('alerts-to-adx');
  });
});
