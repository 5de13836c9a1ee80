/**
 * Streaming ingestion through the real azure-kusto-ingest SDK against the local Kusto stand-in,
 * which answers the documented POST /v1/rest/ingest/{db}/{table} endpoint and records requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdxIngestError, type AdxRow, adxSink } from '../../../src/connectors/adx/index.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { KustoStandIn, kustoError } from '../../helpers/kusto-stand-in.js';

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

interface Alert {
  severity: string;
  srcIp: string;
  detector: string;
}

function alert(i: number): StreamRecord<string, Alert> {
  return {
    key: `192.168.1.${i}`,
    value: { severity: i % 2 ? 'high' : 'low', srcIp: `192.168.1.${i}`, detector: 'syn-flood' },
    timestamp: Date.UTC(2025, 2, 3, 4, 5, i),
  };
}

const toRow = (r: StreamRecord<string, Alert>): AdxRow => ({ time: new Date(r.timestamp), ...r.value });

function bodyRows(index: number): unknown[] {
  const request = engine.ingestRequests()[index]!;
  return request.body
    .toString('utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l));
}

function sink(overrides: Partial<Parameters<typeof adxSink<string, Alert>>[0]> = {}) {
  return adxSink<string, Alert>({
    clusterUrl: engine.url,
    database: 'NetMon',
    table: 'Alerts',
    auth: { kind: 'none' },
    ingestion: 'streaming',
    mappingName: 'AlertsMapping',
    rowMapper: toRow,
    batch: { maxDelay: '1h' },
    retry: { maxAttempts: 4, initialDelay: 5, maxDelay: 20 },
    ...overrides,
  });
}

describe('ADX sink, streaming ingestion (stand-in for the streaming REST endpoint)', () => {
  it('posts gzipped JSON lines to /v1/rest/ingest/{db}/{table} with streamFormat and mappingName', async () => {
    const s = sink();
    await s.write([alert(1), alert(2)]);
    expect(engine.ingestRequests()).toHaveLength(0);
    await s.close();

    const requests = engine.ingestRequests();
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/rest/ingest/NetMon/Alerts');
    expect(request.query.get('streamFormat')).toBe('json');
    expect(request.query.get('mappingName')).toBe('AlertsMapping');
    expect(request.headers['content-encoding']).toBe('gzip');
    expect(request.headers.authorization).toBeUndefined();
    expect(String(request.headers['x-ms-client-request-id'])).toMatch(/^tributary;[0-9a-f-]{36}$/);
    expect(bodyRows(0)).toEqual([
      { time: '2025-03-03T04:05:01.000Z', severity: 'high', srcIp: '192.168.1.1', detector: 'syn-flood' },
      { time: '2025-03-03T04:05:02.000Z', severity: 'low', srcIp: '192.168.1.2', detector: 'syn-flood' },
    ]);
  });

  it('retries a 5xx and then succeeds, sending the same body again', async () => {
    engine.scriptIngest(
      { status: 503, body: kustoError('ServiceUnavailable', 'Engine is busy', false) },
      { status: 500, body: 'not even JSON' },
    );
    const warnings: string[] = [];
    const s = sink({
      logger: {
        warn: (_fields, message) => warnings.push(message),
        error: (_fields, message) => warnings.push(message),
      },
    });
    await s.write([alert(3)]);
    await s.flush();
    await s.close();

    const requests = engine.ingestRequests();
    expect(requests).toHaveLength(3);
    expect(bodyRows(0)).toEqual(bodyRows(2));
    expect(requests[0]!.headers['x-ms-client-request-id']).toBe(
      requests[2]!.headers['x-ms-client-request-id'],
    );
    expect(s.stats()).toMatchObject({ rowsIngested: 1, batchesIngested: 1, retries: 2, rowsDeadLettered: 0 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('HTTP 503');
  });

  it('sends a 400 to the dead-letter door without retrying, and carries on with later rows', async () => {
    engine.scriptIngest({
      status: 400,
      body: kustoError(
        'BadRequest_MappingReferenceWasNotFound',
        "Mapping reference 'AlertsMapping' was not found",
        true,
      ),
    });
    const dead: Array<{ rows: ReadonlyArray<AdxRow>; error: AdxIngestError }> = [];
    const s = sink({ onDeadLetter: (rows, error) => void dead.push({ rows, error }) });
    await s.write([alert(4), alert(5)]);
    await s.flush();
    await s.write([alert(6)]);
    await s.close();

    expect(engine.ingestRequests()).toHaveLength(2);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.rows).toEqual([toRow(alert(4)), toRow(alert(5))]);
    const error = dead[0]!.error;
    expect(error.permanent).toBe(true);
    expect(error.details).toMatchObject({ status: 400, attempts: 1, rowCount: 2, table: 'Alerts' });
    expect(error.message).toContain("Mapping reference 'AlertsMapping' was not found");
    expect(error.message).toContain('AlertsMapping');
    expect(bodyRows(1)).toEqual([toRow(alert(6))].map((r) => JSON.parse(JSON.stringify(r))));
    expect(s.stats()).toMatchObject({ rowsIngested: 1, rowsDeadLettered: 2 });
  });

  it('without a dead-letter door a permanent failure rejects the flush instead of losing rows', async () => {
    engine.scriptIngest({
      status: 400,
      body: kustoError('BadRequest', 'Table Alerts has no column evidence', true),
    });
    const s = sink();
    await s.write([alert(7)]);
    await expect(s.flush()).rejects.toMatchObject({ name: 'AdxIngestError', permanent: true });
    await s.close();
  });

  it('keeps a batch whose retries ran out and re-sends it on the next flush', async () => {
    engine.scriptIngest(
      { status: 503, body: kustoError('ServiceUnavailable', 'busy', false) },
      { status: 503, body: kustoError('ServiceUnavailable', 'busy', false) },
    );
    const s = sink({ retry: { maxAttempts: 2, initialDelay: 1, maxDelay: 2 } });
    await s.write([alert(8)]);
    const failure = await s.flush().then(
      () => undefined,
      (e: unknown) => e as AdxIngestError,
    );
    expect(failure?.permanent).toBe(false);
    expect(failure?.details.attempts).toBe(2);
    expect(s.stats().rowsPending).toBe(1);
    await s.flush();
    await s.close();
    const requests = engine.ingestRequests();
    expect(requests).toHaveLength(3);
    expect(bodyRows(2)).toEqual(bodyRows(0));
    expect(s.stats()).toMatchObject({ rowsIngested: 1, rowsPending: 0 });
  });

  it('ingests on its own when the oldest row reaches maxDelay', async () => {
    const s = sink({ batch: { maxDelay: '50ms' } });
    await s.write([alert(9)]);
    await expect.poll(() => engine.ingestRequests().length, { timeout: 5000 }).toBe(1);
    expect(bodyRows(0)).toEqual([JSON.parse(JSON.stringify(toRow(alert(9))))]);
    await s.close();
    expect(engine.ingestRequests()).toHaveLength(1);
  });
});
