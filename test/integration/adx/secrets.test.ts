/**
 * With an Entra ID app key configured, nothing the sink says may contain the key: not its error
 * messages (nor their causes, as printed), not its log lines. Token acquisition really runs (the
 * SDK's ClientSecretCredential) and fails because the identity endpoint is unreachable, which
 * exercises the failure path a misconfigured deployment would hit.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdxRow, adxSink } from '../../../src/connectors/adx/index.js';
import { KustoStandIn } from '../../helpers/kusto-stand-in.js';

const SECRET = 'tributary-test-Secret~9f2Q.app-key';
let engine: KustoStandIn;

beforeAll(async () => {
  engine = await KustoStandIn.start();
  // Point the identity library at a closed loopback port: the test never reaches the internet,
  // and behaves the same on machines that have it.
  process.env.AZURE_AUTHORITY_HOST = 'https://127.0.0.1:9';
});

afterAll(async () => {
  delete process.env.AZURE_AUTHORITY_HOST;
  await engine?.stop();
});

describe('ADX sink with an app key', () => {
  it('never puts the key in errors or log lines', async () => {
    const lines: string[] = [];
    const log = (fields: Record<string, unknown>, message: string) =>
      lines.push(`${JSON.stringify(fields)} ${message}`);
    const sink = adxSink<string, AdxRow>({
      clusterUrl: engine.url,
      database: 'NetMon',
      table: 'Alerts',
      ingestion: 'streaming',
      mappingName: 'AlertsMapping',
      auth: {
        kind: 'appKey',
        tenantId: '00000000-0000-0000-0000-00000000000a',
        clientId: '00000000-0000-0000-0000-00000000000b',
        clientSecret: SECRET,
      },
      retry: { maxAttempts: 2, initialDelay: 1, maxDelay: 2 },
      logger: { warn: log, error: log },
    });
    await sink.write([{ key: 'k', value: { severity: 'high' }, timestamp: 0 }]);
    // close() flushes: two attempts (one retry warning), then a rejection; each takes a few
    // seconds because the identity library retries the unreachable endpoint itself.
    const error = await sink.close().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ name: 'AdxIngestError', permanent: false });
    expect(lines).toHaveLength(1);
    const everything = [inspect(error, { depth: 10 }), ...lines].join('\n');
    // Informative (says token acquisition failed for which app) but without the key.
    expect(everything).toContain('token acquisition failed');
    expect(everything).toContain('00000000-0000-0000-0000-00000000000b');
    expect(everything).not.toContain(SECRET);
    // No request to the cluster carried the key either (it only ever goes to the identity endpoint).
    for (const request of engine.requests) {
      expect(JSON.stringify(request.headers) + request.body.toString('utf8')).not.toContain(SECRET);
    }
  });
});
