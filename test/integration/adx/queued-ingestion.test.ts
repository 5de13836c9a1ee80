/**
 * Queued ingestion end to end through the real azure-kusto-ingest SDK: blobs and queue messages
 * land in a real Azurite; the data management endpoint is the local Kusto stand-in, which hands
 * out Azurite's container and queue (SAS URIs) exactly as `.get ingestion resources` does.
 *
 * The SDK talks plain http to loopback hosts and trusts them (its trusted-endpoint check exempts
 * 127.0.0.0/8), and with `auth: { kind: 'none' }` the connection-string builder has no token
 * provider, so no Authorization header and no Entra ID call are involved.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdxIngestError,
  type AdxRow,
  adxSink,
  PACKET_STATS_TABLE,
} from '../../../src/connectors/adx/index.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { type Azurite, startAzurite } from '../../helpers/azurite.js';
import { KustoStandIn } from '../../helpers/kusto-stand-in.js';

interface QueueNotification {
  Id: string;
  BlobPath: string;
  RawDataSize: number;
  DatabaseName: string;
  TableName: string;
  AdditionalProperties: Record<string, unknown>;
}

const CONTAINER = 'tempstorage';
const QUEUE = 'readyforaggregation-secured';

let azurite: Azurite;
let dm: KustoStandIn;

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.createContainer(CONTAINER);
  await azurite.createQueue(QUEUE);
  await azurite.createQueue('failedingestions');
  await azurite.createQueue('successfulingestions');
  await azurite.createTable('ingestionsstatus');
  dm = await KustoStandIn.start({
    authorizationContext: 'stand-in-authorization-context',
    ingestionResources: [
      { type: 'SecuredReadyForAggregationQueue', uri: azurite.queueUri(QUEUE) },
      { type: 'TempStorage', uri: azurite.containerUri(CONTAINER) },
      { type: 'FailedIngestionsQueue', uri: azurite.queueUri('failedingestions') },
      { type: 'SuccessfulIngestionsQueue', uri: azurite.queueUri('successfulingestions') },
      { type: 'IngestionsStatusTable', uri: azurite.tableUri('ingestionsstatus') },
    ],
  });
});

afterAll(async () => {
  await dm?.stop();
  await azurite?.stop();
});

async function notifications(): Promise<QueueNotification[]> {
  const messages = await azurite.peekMessages(QUEUE);
  return messages.map(
    (m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as QueueNotification,
  );
}

async function blobRows(notification: QueueNotification): Promise<unknown[]> {
  const name = decodeURIComponent(new URL(notification.BlobPath).pathname.split('/').pop()!);
  const bytes = await azurite.downloadBlob(CONTAINER, name);
  const text = name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

function statsRecord(i: number, offset: number): StreamRecord<string, AdxRow> {
  return {
    key: `10.0.0.${i}`,
    value: {
      windowStart: new Date(Date.UTC(2025, 0, 1, 12, 0)),
      windowEnd: new Date(Date.UTC(2025, 0, 1, 12, 5)),
      srcIp: `10.0.0.${i}`,
      packets: 100 + i,
      bytes: 64_000 + i,
    },
    timestamp: Date.UTC(2025, 0, 1, 12, 0),
    origin: { topic: 'packet-stats', partition: 0, offset },
  };
}

describe('ADX sink, queued ingestion (Azurite + data-management stand-in)', () => {
  it('uploads the batch as a gzipped JSON-lines blob and queues a notification with the ingestion properties', async () => {
    const before = (await notifications()).length;
    const sink = adxSink<string, AdxRow>({
      clusterUrl: dm.url,
      database: 'NetMon',
      table: PACKET_STATS_TABLE.table,
      auth: { kind: 'none' },
      mappingName: 'PacketStatsMapping',
      batch: { maxRows: 1000, maxDelay: '1h' },
    });
    await sink.write([statsRecord(1, 0), statsRecord(2, 1)]);
    await sink.write([statsRecord(3, 2)]);
    // Nothing is sent before a limit is reached or flush is called: rows accumulate across writes.
    expect((await notifications()).length).toBe(before);
    await sink.flush();
    await sink.close();

    const all = await notifications();
    expect(all.length).toBe(before + 1);
    const note = all.at(-1)!;
    expect(note.DatabaseName).toBe('NetMon');
    expect(note.TableName).toBe('PacketStats');
    expect(note.AdditionalProperties.format).toBe('json');
    expect(note.AdditionalProperties.ingestionMappingReference).toBe('PacketStatsMapping');
    expect(note.AdditionalProperties.authorizationContext).toBe('stand-in-authorization-context');
    const tags = JSON.parse(note.AdditionalProperties.tags as string) as string[];
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatch(/^ingest-by:tributary-[0-9a-f]{32}$/);
    const tag = tags[0]!.slice('ingest-by:'.length);
    expect(JSON.parse(note.AdditionalProperties.ingestIfNotExists as string)).toEqual([tag]);
    expect(
      note.BlobPath.startsWith(
        `${azurite.blobEndpoint}/${CONTAINER}/NetMon__PacketStats__${note.Id}.json.gz`,
      ),
    ).toBe(true);

    const rows = await blobRows(note);
    expect(rows).toEqual(
      [1, 2, 3].map((i) => ({
        windowStart: '2025-01-01T12:00:00.000Z',
        windowEnd: '2025-01-01T12:05:00.000Z',
        srcIp: `10.0.0.${i}`,
        packets: 100 + i,
        bytes: 64_000 + i,
      })),
    );
    const raw = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    expect(note.RawDataSize).toBe(Buffer.byteLength(raw));
    // The stand-in saw the two documented DM commands.
    expect(dm.mgmtCommands()).toEqual(
      expect.arrayContaining(['.get ingestion resources', '.get kusto identity token']),
    );
  });

  it('ingests one blob per maxRows rows, in order, without waiting for flush', async () => {
    const before = (await notifications()).length;
    const sink = adxSink<string, AdxRow>({
      clusterUrl: dm.url,
      database: 'NetMon',
      table: 'PacketStats',
      auth: { kind: 'none' },
      batch: { maxRows: 2, maxDelay: '1h' },
    });
    await sink.write([1, 2, 3, 4, 5].map((i) => statsRecord(i, 100 + i)));
    const afterWrite = await notifications();
    expect(afterWrite.length).toBe(before + 2);
    expect(sink.stats()).toMatchObject({ rowsIngested: 4, batchesIngested: 2, rowsPending: 1 });
    await sink.close();
    const afterClose = await notifications();
    expect(afterClose.length).toBe(before + 3);
    const srcIps = [];
    for (const note of afterClose.slice(before)) {
      srcIps.push(...(await blobRows(note)).map((r) => (r as { srcIp: string }).srcIp));
      expect(note.AdditionalProperties.ingestionMappingReference).toBeUndefined();
    }
    expect(srcIps).toEqual([1, 2, 3, 4, 5].map((i) => `10.0.0.${i}`));
  });

  it('writes CSV lines in the declared column order', async () => {
    const before = (await notifications()).length;
    const sink = adxSink<string, AdxRow>({
      clusterUrl: dm.url,
      database: 'NetMon',
      table: 'Alerts',
      auth: { kind: 'none' },
      format: 'csv',
      csvColumns: ['time', 'severity', 'srcIp', 'evidence'],
      rowMapper: (r) => ({
        time: new Date(r.timestamp),
        severity: 'high',
        srcIp: r.key,
        evidence: { note: 'port scan, "fast"' },
      }),
    });
    await sink.write([{ key: '10.9.9.9', value: {}, timestamp: Date.UTC(2025, 4, 1) }]);
    await sink.close();
    const note = (await notifications()).slice(before)[0]!;
    expect(note.AdditionalProperties.format).toBe('csv');
    const name = decodeURIComponent(new URL(note.BlobPath).pathname.split('/').pop()!);
    expect(name.endsWith('.csv.gz')).toBe(true);
    const text = gunzipSync(await azurite.downloadBlob(CONTAINER, name)).toString('utf8');
    expect(text).toBe('2025-05-01T00:00:00.000Z,high,10.9.9.9,"{""note"":""port scan, \\""fast\\""""}"\n');
  });

  it('re-sending the same batch after a crash carries the same ingest-by tag and ingestIfNotExists', async () => {
    const before = (await notifications()).length;
    const batch = [statsRecord(7, 500), statsRecord(8, 501)];
    const options = {
      clusterUrl: dm.url,
      database: 'NetMon',
      table: 'PacketStats',
      auth: { kind: 'none' } as const,
      mappingName: 'PacketStatsMapping',
    };
    const first = adxSink<string, AdxRow>(options);
    await first.write(batch);
    await first.flush();
    // "Crash": the first instance is abandoned without close; a new one replays the same input.
    const second = adxSink<string, AdxRow>(options);
    await second.write(batch);
    await second.close();
    await first.close();

    const sent = (await notifications()).slice(before);
    expect(sent).toHaveLength(2);
    const [a, b] = sent as [QueueNotification, QueueNotification];
    expect(a.Id).toBe(b.Id);
    expect(a.AdditionalProperties.tags).toBe(b.AdditionalProperties.tags);
    expect(a.AdditionalProperties.ingestIfNotExists).toBe(b.AdditionalProperties.ingestIfNotExists);
    expect(await blobRows(a)).toEqual(await blobRows(b));

    // Different rows get a different tag: deduplication does not swallow new data.
    const third = adxSink<string, AdxRow>(options);
    await third.write([statsRecord(7, 502)]);
    await third.close();
    const c = (await notifications()).at(-1)!;
    expect(c.AdditionalProperties.ingestIfNotExists).not.toBe(a.AdditionalProperties.ingestIfNotExists);
  });

  it('sends no dedup tags when deduplicate is false', async () => {
    const before = (await notifications()).length;
    const sink = adxSink<string, AdxRow>({
      clusterUrl: dm.url,
      database: 'NetMon',
      table: 'PacketStats',
      auth: { kind: 'none' },
      deduplicate: false,
    });
    await sink.write([statsRecord(9, 900)]);
    await sink.close();
    const note = (await notifications()).slice(before)[0]!;
    expect(note.AdditionalProperties.tags).toBeUndefined();
    expect(note.AdditionalProperties.ingestIfNotExists).toBeUndefined();
  });

  it('a rejected .get ingestion resources (403) is permanent: rows go to the dead-letter door, nothing is queued', async () => {
    const deniedDm = await KustoStandIn.start();
    deniedDm.scriptMgmt({
      status: 403,
      body: { error: { code: 'Forbidden', message: 'Principal is not authorized' } },
    });
    const dead: Array<{ rows: ReadonlyArray<AdxRow>; error: AdxIngestError }> = [];
    const sink = adxSink<string, AdxRow>({
      clusterUrl: deniedDm.url,
      database: 'NetMon',
      table: 'PacketStats',
      auth: { kind: 'none' },
      retry: { maxAttempts: 3, initialDelay: 1, maxDelay: 2 },
      onDeadLetter: (rows, error) => {
        dead.push({ rows, error });
      },
    });
    try {
      await sink.write([statsRecord(1, 1)]);
      await sink.close();
    } finally {
      await deniedDm.stop();
    }
    expect(dead).toHaveLength(1);
    expect(dead[0]!.rows).toEqual([statsRecord(1, 1).value]);
    expect(dead[0]!.error.permanent).toBe(true);
    expect(dead[0]!.error.details.status).toBe(403);
    expect(dead[0]!.error.details.attempts).toBe(1);
    expect(dead[0]!.error.message).toContain('NetMon.PacketStats');
  });
});
