/**
 * ensureAdxTable runs its management commands through azure-kusto-data's client; the local
 * Kusto stand-in (POST /v1/rest/mgmt) records what arrived.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALERTS_TABLE,
  adxTableCommands,
  createJsonMappingCommand,
  createMergeTableCommand,
  ensureAdxTable,
} from '../../../src/connectors/adx/index.js';
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

describe('ensureAdxTable', () => {
  it('sends .create-merge table, the JSON mapping and the streaming policy, in that order, to the database', async () => {
    await ensureAdxTable({
      clusterUrl: engine.url,
      database: 'NetMon',
      auth: { kind: 'none' },
      schema: ALERTS_TABLE,
      mappingName: 'AlertsMapping',
      enableStreaming: true,
    });
    expect(engine.mgmtCommands()).toEqual([
      createMergeTableCommand(ALERTS_TABLE),
      createJsonMappingCommand(ALERTS_TABLE, 'AlertsMapping'),
      ".alter table ['Alerts'] policy streamingingestion enable",
    ]);
    const bodies = engine.requests
      .filter((r) => r.path === '/v1/rest/mgmt')
      .map((r) => JSON.parse(r.body.toString('utf8')) as { db: string });
    expect(bodies.every((b) => b.db === 'NetMon')).toBe(true);
  });

  it('sends only the table command when no mapping is asked for', async () => {
    await ensureAdxTable({
      clusterUrl: engine.url,
      database: 'NetMon',
      auth: { kind: 'none' },
      schema: ALERTS_TABLE,
    });
    expect(engine.mgmtCommands()).toEqual(adxTableCommands({ schema: ALERTS_TABLE }));
    expect(engine.mgmtCommands()).toHaveLength(1);
  });

  it('stops at the first failing command and names it', async () => {
    engine.scriptMgmt({ status: 403, body: kustoError('Forbidden', 'Principal lacks Table Admin', true) });
    await expect(
      ensureAdxTable({
        clusterUrl: engine.url,
        database: 'NetMon',
        auth: { kind: 'none' },
        schema: ALERTS_TABLE,
        mappingName: 'AlertsMapping',
      }),
    ).rejects.toThrow(/HTTP 403: Principal lacks Table Admin\)\. Command: \.create-merge table \['Alerts'\]/);
    expect(engine.mgmtCommands()).toHaveLength(1);
  });
});
