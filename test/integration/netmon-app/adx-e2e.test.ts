/**
 * The monitor's ADX result path, spawned as a user runs it (`--adx-cluster URL --adx-database DB`),
 * against the library's Kusto stand-in (engine and data management endpoints) with a real Azurite
 * behind queued ingestion: the same run also writes DuckDB, and every PacketStats and Alerts row
 * ingested into ADX (the gzipped JSON-lines blobs in Azurite, announced on the ingestion queue) must
 * equal the DuckDB rows. A plain-http loopback cluster without AZURE_* variables is used without a
 * token, as the Kusto emulator is.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CAPTURE, writeCapture } from '../../../examples/network-monitor/traffic/index.js';
import { type Azurite, startAzurite } from '../../helpers/azurite.js';
import { KustoStandIn } from '../../helpers/kusto-stand-in.js';
import { readMonitorRows } from './duckdb-read.js';
import { runMonitorCli, summaryOf } from './run-cli.js';

const CONTAINER = 'tempstorage';
const QUEUE = 'readyforaggregation-secured';
const DATABASE = 'NetMon';

interface QueueNotification {
  BlobPath: string;
  DatabaseName: string;
  TableName: string;
  AdditionalProperties: Record<string, unknown>;
}

let azurite: Azurite;
let kusto: KustoStandIn;

beforeAll(async () => {
  azurite = await startAzurite();
  await azurite.createContainer(CONTAINER);
  await azurite.createQueue(QUEUE);
  kusto = await KustoStandIn.start({
    ingestionResources: [
      { type: 'SecuredReadyForAggregationQueue', uri: azurite.queueUri(QUEUE) },
      { type: 'TempStorage', uri: azurite.containerUri(CONTAINER) },
    ],
  });
});

afterAll(async () => {
  await kusto?.stop();
  await azurite?.stop();
});

/** Every row ingested into `table`: the blobs the queue announced for it, in queue order. */
async function ingestedRows(table: string): Promise<Record<string, unknown>[]> {
  const messages = await azurite.peekMessages(QUEUE);
  expect(messages.length).toBeLessThan(32); // peek sees at most 32: more would hide rows
  const notes = messages.map(
    (m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as QueueNotification,
  );
  const rows: Record<string, unknown>[] = [];
  for (const note of notes.filter((n) => n.TableName === table)) {
    expect(note.DatabaseName).toBe(DATABASE);
    expect(note.AdditionalProperties.ingestionMappingReference).toBe(`${table}Mapping`);
    const blob = decodeURIComponent(new URL(note.BlobPath).pathname.split('/').pop()!);
    const text = gunzipSync(await azurite.downloadBlob(CONTAINER, blob)).toString('utf8');
    for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line));
  }
  return rows;
}

const byWindowAndSource = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a.srcIp).localeCompare(String(b.srcIp)) || Number(a.windowStart) - Number(b.windowStart);

describe('network monitor with --adx-cluster (Kusto stand-in + Azurite)', () => {
  it('ingests the same PacketStats and Alerts rows the run writes to DuckDB', {
    timeout: 240_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmon-adx-'));
    const pcap = join(dir, 'scan.pcap');
    const duckdb = join(dir, 'run.duckdb');
    writeCapture(
      {
        ...E2E_CAPTURE,
        durationS: 200,
        anomalies: [
          { kind: 'port-scan', atS: 40 },
          { kind: 'syn-flood', atS: 100, durationS: 25, intensity: 0.75 },
        ],
      },
      pcap,
    );
    const { code, stdout, stderr } = await runMonitorCli(
      [
        '--pcap',
        pcap,
        '--no-tty',
        '--duckdb',
        duckdb,
        '--adx-cluster',
        kusto.url,
        '--adx-database',
        DATABASE,
      ],
      { AZURE_TENANT_ID: '', AZURE_CLIENT_ID: '', AZURE_CLIENT_SECRET: '' },
    );
    expect(code, stderr).toBe(0);
    const summary = summaryOf(stdout);

    // Both tables and their JSON mappings were set up on the cluster, without a token.
    const commands = kusto.mgmtCommands();
    for (const table of ['PacketStats', 'Alerts']) {
      const about = commands.filter((c) => c.includes(table));
      expect(about.some((c) => c.startsWith('.create-merge table'))).toBe(true);
      expect(about.some((c) => /^\.create-or-alter table .* ingestion json mapping/.test(c))).toBe(true);
    }
    for (const request of kusto.requests) expect(request.headers.authorization).toBeUndefined();

    const duck = await readMonitorRows(duckdb);
    expect(duck.stats.length).toBeGreaterThan(0);
    expect(duck.alerts).toHaveLength(summary.alerts);
    expect(summary.alertsByDetector['port-scan']).toBeGreaterThanOrEqual(1);
    expect(summary.alertsByDetector['syn-flood']).toBeGreaterThanOrEqual(1);

    const adxStats = (await ingestedRows('PacketStats')).map((r) => ({
      ...r,
      windowStart: Date.parse(String(r.windowStart)),
      windowEnd: Date.parse(String(r.windowEnd)),
    }));
    const duckStats = duck.stats.map(({ synAckReceivedCount: _notInAdx, ...r }) => r);
    expect(adxStats.sort(byWindowAndSource)).toEqual(duckStats.sort(byWindowAndSource));

    const adxAlerts = (await ingestedRows('Alerts')).map((r) => {
      const { summary: text, id, ...evidence } = r.evidence as Record<string, unknown>;
      return {
        time: Date.parse(String(r.time)),
        id,
        severity: r.severity,
        srcIp: r.srcIp,
        detector: r.detector,
        windowStart: Date.parse(String(r.windowStart)),
        windowEnd: Date.parse(String(r.windowEnd)),
        summary: text,
        evidence,
      };
    });
    const byId = (a: { id?: unknown }, b: { id?: unknown }) => String(a.id).localeCompare(String(b.id));
    expect(adxAlerts.sort(byId)).toEqual(duck.alerts.sort(byId));
  });
});
