/**
 * Against a real Azure Data Explorer cluster, opt-in. It needs a cluster, a database the app may
 * administer and ingest into, and an Entra ID application:
 *   ADX_CLUSTER_URL, ADX_DATABASE, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET.
 * Without ADX_CLUSTER_URL the suite is skipped: no cloud service is reachable from CI or from
 * this repository's development machines, and the stand-in tests cover the protocol.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'azure-kusto-data';
import { describe, expect, it } from 'vitest';
import {
  type AdxAuth,
  type AdxRow,
  adxSink,
  ensureAdxTable,
  quoteName,
  toConnectionStringBuilder,
} from '../../../src/connectors/adx/index.js';

const env = process.env;

describe.skipIf(!env.ADX_CLUSTER_URL)('ADX sink against a live cluster (ADX_CLUSTER_URL set)', () => {
  const clusterUrl = env.ADX_CLUSTER_URL ?? '';
  const database = env.ADX_DATABASE ?? '';
  const auth: AdxAuth = {
    kind: 'appKey',
    tenantId: env.AZURE_TENANT_ID ?? '',
    clientId: env.AZURE_CLIENT_ID ?? '',
    clientSecret: env.AZURE_CLIENT_SECRET ?? '',
  };
  const table = `TributaryLive_${randomUUID().slice(0, 8)}`;
  const schema = {
    table,
    columns: [
      { name: 'runId', type: 'string' },
      { name: 'n', type: 'long' },
      { name: 'at', type: 'datetime' },
    ],
  } as const;

  async function countRows(client: Client, runId: string): Promise<number> {
    const result = await client.execute(database, `${quoteName(table)} | where runId == '${runId}' | count`);
    return Number(result.primaryResults[0]?.toJSON<{ Count: number }>().data[0]?.Count ?? 0);
  }

  it('creates a table, ingests rows through the queue, reads them back, and skips a re-sent batch', async () => {
    await ensureAdxTable({ clusterUrl, database, auth, schema, mappingName: 'LiveMapping' });
    const runId = randomUUID();
    const records = [1, 2, 3].map((n) => ({ key: n, value: {}, timestamp: Date.UTC(2025, 0, 1, 0, 0, n) }));
    const options = {
      clusterUrl,
      database,
      table,
      auth,
      mappingName: 'LiveMapping',
      flushImmediately: true,
      rowMapper: (r: { key: number; timestamp: number }): AdxRow => ({
        runId,
        n: r.key,
        at: new Date(r.timestamp),
      }),
    };
    const client = new Client(toConnectionStringBuilder(clusterUrl, auth));
    try {
      const first = adxSink<number, object>(options);
      await first.write(records);
      await first.close();
      await expect.poll(() => countRows(client, runId), { timeout: 300_000, interval: 10_000 }).toBe(3);

      // The same rows again, from a new instance (a restart replaying its input): same
      // ingest-by tag with ingestIfNotExists, so the service skips them.
      const second = adxSink<number, object>(options);
      await second.write(records);
      await second.close();
      // Give the second ingestion time to happen if it were going to (flushImmediately lands
      // in well under a minute); a duplicate would show as 6 rows.
      await new Promise((resolve) => setTimeout(resolve, 90_000));
      expect(await countRows(client, runId)).toBe(3);
    } finally {
      await client.executeMgmt(database, `.drop table ${quoteName(table)} ifexists`).catch(() => undefined);
      client.close();
    }
  }, 600_000);
});
