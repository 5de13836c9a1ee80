/**
 * Sinks bench (`npm run bench -- sinks`): what the ADX and DuckDB sinks and the two encodings cost
 * per row of the network monitor's packet data.
 *
 * - ADX, streaming ingestion through the real azure-kusto-ingest SDK to the local Kusto stand-in
 *   (test/helpers/kusto-stand-in.ts, loopback HTTP; it gunzips and keeps each request, which is
 *   part of the time). "batched": the sink's own batching (up to 10 000 rows or 4 MiB per request), records
 *   written 500 at a time, then one flush. "single": a batch of 1 per write followed by flush, so
 *   one HTTP request per row. A real cluster adds network latency per request, which widens the gap.
 * - ADX, queued ingestion through the same SDK: each batch is a gzipped blob uploaded to Azurite
 *   (the Azure Storage emulator, in memory) plus a queue message, the resources handed out by the
 *   stand-in's data-management endpoint. Same batched / single split (queued batches: up to 10 000
 *   rows; one-by-one: a blob and a message per row).
 * - DuckDB: the sink with its Appender into a file in the temp folder, 1 000 records per write
 *   (one transaction each).
 * - Encoding, per row of a packet: a JSON line (the ADX sink's encoder) and Avro binary of the
 *   Packet schema, both the serde's `serialize` (Confluent header included, schema id cached) and
 *   plain avsc `toBuffer`.
 *
 * Prints a table, then one JSON line. The machine is shared: compare rows of one run.
 * Env: BENCH_SINK_ROWS (default 100 000), BENCH_REPS (default 3, for the encoders).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { type AdxRow, type AdxSinkOptions, adxSink } from '../src/connectors/adx/index.js';
import { jsonRowEncoder } from '../src/connectors/adx/row-format.js';
import {
  type AvroPacket,
  avroSerde,
  PACKET_AVRO_SCHEMA,
  type SchemaRegistryClient,
} from '../src/connectors/avro/index.js';
import { duckDbSink } from '../src/connectors/duckdb/index.js';
import type { StreamRecord } from '../src/runtime/record.js';
import { startAzurite } from '../test/helpers/azurite.js';
import { KustoStandIn } from '../test/helpers/kusto-stand-in.js';
import {
  formatNumber,
  measure,
  peakRssMb,
  printJsonLine,
  printTable,
  type TableRow,
} from './harness/index.js';

const ROWS = Number(process.env.BENCH_SINK_ROWS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
/** One HTTP request per row: fewer rows, or this part alone would take minutes. */
const SINGLE_ROWS = Math.min(ROWS, 2_000);
/** Queued one-by-one costs a blob upload and a queue message per row. */
const QUEUED_SINGLE_ROWS = Math.min(ROWS, 500);

let seed = 7;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
  return (seed >>> 0) / 4294967296;
}

/** A synthetic packet: TCP with an RTT, or DNS with a query, like the monitor's traffic mix. */
function packet(i: number): AvroPacket {
  const dns = random() < 0.3;
  return {
    timestampMicros: 1_700_000_000_000_000 + i * 37,
    frameLength: 60 + Math.floor(random() * 1400),
    protocols: dns ? ['eth', 'ethertype', 'ip', 'udp', 'dns'] : ['eth', 'ethertype', 'ip', 'tcp'],
    topLayer: dns ? 'dns' : 'tcp',
    srcMac: '02:00:00:00:00:01',
    dstMac: '02:00:00:00:00:02',
    srcIp: `10.0.${(i >> 8) & 255}.${i & 255}`,
    dstIp: '10.1.0.1',
    ipVersion: 4,
    srcPort: 1024 + (i % 60_000),
    dstPort: dns ? 53 : 443,
    tcpSyn: dns ? null : i % 10 === 0,
    tcpAck: dns ? null : true,
    tcpFin: dns ? null : false,
    tcpRst: dns ? null : false,
    tcpPsh: dns ? null : i % 3 === 0,
    ackRttMs: dns ? null : random() * 40,
    icmpType: null,
    icmpCode: null,
    arpOp: null,
    dnsQueryName: dns ? `host-${i % 500}.example.com` : null,
    dnsQueryType: dns ? 1 : null,
    dnsRcode: dns ? 0 : null,
    dnsResponseTimeMs: dns ? random() * 20 : null,
    dnsIsResponse: dns ? i % 2 === 0 : null,
    httpHost: null,
    httpMethod: null,
    httpStatus: null,
    httpResponseTimeMs: null,
    tlsSni: null,
    layers: null,
  };
}

const packets = Array.from({ length: ROWS }, (_, i) => packet(i));
const records: StreamRecord<string, AvroPacket>[] = packets.map((p, i) => ({
  key: p.srcIp ?? '',
  value: p,
  timestamp: 1_700_000_000_000 + i,
}));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Best-of-REPS throughput of a synchronous per-row loop, after one warm-up pass. */
async function perRow(loop: () => number | Promise<number>): Promise<number> {
  await loop();
  const rates: number[] = [];
  for (let r = 0; r < REPS; r++) rates.push((await measure(loop)).recordsPerSec);
  return median(rates);
}

interface AdxRates {
  batched: number;
  single: number;
  /** Ingestions (requests or blobs) the batched run made. */
  batches: number;
}

type AdxTarget = Pick<AdxSinkOptions<string, AvroPacket>, 'clusterUrl' | 'ingestion' | 'ingestUrl'>;

/**
 * Batched: 500 records per write and one flush at the end. Single: one record per write, each
 * flushed. `ingestions()` counts what reached the service, to check the runs did what they say.
 */
async function adxRates(
  target: AdxTarget,
  singleRows: number,
  ingestions: () => Promise<number>,
): Promise<AdxRates> {
  const sinkFor = () =>
    adxSink<string, AvroPacket>({
      ...target,
      database: 'NetMon',
      table: 'Packets',
      auth: { kind: 'none' },
      mappingName: 'PacketsMapping',
      batch: { maxRows: 10_000, maxDelay: '1h' },
    });
  const batchedSink = sinkFor();
  await batchedSink.write(records.slice(0, 1_000)); // warm-up: connections, SDK code paths
  await batchedSink.flush();
  const before = await ingestions();
  const batched = await measure(async () => {
    for (let i = 0; i < records.length; i += 500) await batchedSink.write(records.slice(i, i + 500));
    await batchedSink.flush();
    return records.length;
  });
  const batches = (await ingestions()) - before;
  await batchedSink.close();

  const singleSink = sinkFor();
  const singleBefore = await ingestions();
  const single = await measure(async () => {
    for (let i = 0; i < singleRows; i++) {
      await singleSink.write([records[i]!]);
      await singleSink.flush();
    }
    return singleRows;
  });
  const singles = (await ingestions()) - singleBefore;
  await singleSink.close();
  if (singles !== singleRows) {
    throw new Error(
      `one-by-one ADX ${target.ingestion} run made ${singles} ingestions for ${singleRows} rows`,
    );
  }
  return { batched: batched.recordsPerSec, single: single.recordsPerSec, batches };
}

async function adxStreamingRates(): Promise<AdxRates> {
  const engine = await KustoStandIn.start();
  let count = 0;
  // The stand-in keeps every request: count them and let them go, so memory stays flat.
  const ingestions = async () => {
    count += engine.ingestRequests().length;
    engine.requests.length = 0;
    return count;
  };
  try {
    return await adxRates({ clusterUrl: engine.url, ingestion: 'streaming' }, SINGLE_ROWS, ingestions);
  } finally {
    await engine.stop();
  }
}

async function adxQueuedRates(): Promise<AdxRates> {
  const azurite = await startAzurite();
  let dm: KustoStandIn | undefined;
  try {
    await azurite.createContainer('tempstorage');
    await azurite.createQueue('readyforaggregation-secured');
    dm = await KustoStandIn.start({
      ingestionResources: [
        { type: 'SecuredReadyForAggregationQueue', uri: azurite.queueUri('readyforaggregation-secured') },
        { type: 'TempStorage', uri: azurite.containerUri('tempstorage') },
      ],
    });
    // One blob per ingestion (a listing holds up to 5 000 names, more than the runs make).
    const ingestions = async () => (await azurite.listBlobs('tempstorage')).length;
    return await adxRates(
      { clusterUrl: dm.url, ingestUrl: dm.url, ingestion: 'queued' },
      QUEUED_SINGLE_ROWS,
      ingestions,
    );
  } finally {
    await dm?.stop();
    await azurite.stop();
  }
}

/** DuckDB rows: the packet with its protocol list as JSON (DuckDB column types are scalar or JSON). */
async function duckDbRate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-duckdb-'));
  try {
    const sink = await duckDbSink<string, AvroPacket>({
      database: join(dir, 'bench.duckdb'),
      table: 'packets',
      writeMethod: 'appender',
      config: { threads: '2' },
    });
    await sink.write(records.slice(0, 1_000)); // creates the table and the appender
    const run = await measure(async () => {
      for (let i = 0; i < records.length; i += 1_000) await sink.write(records.slice(i, i + 1_000));
      return records.length;
    });
    const [count] = await sink.query<{ n: bigint }>('SELECT count(*) AS n FROM packets');
    await sink.close();
    if (count?.n !== BigInt(records.length + 1_000)) {
      throw new Error(`DuckDB holds ${count?.n} rows, expected ${records.length + 1_000}`);
    }
    return run.recordsPerSec;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A registry that knows one schema (id 1): the serde's cost without any HTTP. */
const inMemoryRegistry: SchemaRegistryClient = {
  url: 'memory://bench',
  register: async () => 1,
  idOf: async () => 1,
  typeById: async () => avro.Type.forSchema(PACKET_AVRO_SCHEMA as unknown as avro.Schema),
};

async function encodingRates() {
  const encodeJson = jsonRowEncoder();
  // An interface has no index signature; the rows are plain objects, as the encoder needs.
  const rows = packets as unknown as ReadonlyArray<AdxRow>;
  let jsonBytes = 0;
  const json = await perRow(() => {
    jsonBytes = 0;
    for (const row of rows) jsonBytes += encodeJson(row).length + 1;
    return packets.length;
  });

  const type = avro.Type.forSchema(PACKET_AVRO_SCHEMA as unknown as avro.Schema);
  let avroBytes = 0;
  const avroRaw = await perRow(() => {
    avroBytes = 0;
    for (const p of packets) avroBytes += type.toBuffer(p).length;
    return packets.length;
  });

  const serde = avroSerde<AvroPacket>({ registry: inMemoryRegistry, schema: PACKET_AVRO_SCHEMA });
  const avroSerdeRate = await perRow(async () => {
    for (const p of packets) await serde.serialize(p, 'network-packets');
    return packets.length;
  });
  return {
    json,
    avroRaw,
    avroSerde: avroSerdeRate,
    jsonBytesPerRow: jsonBytes / packets.length,
    avroBytesPerRow: avroBytes / packets.length,
  };
}

const streaming = await adxStreamingRates();
const queued = await adxQueuedRates();
const duckdb = await duckDbRate();
const encoding = await encodingRates();

const nsPerRow = (rps: number) => Math.round(1e9 / rps);
const rate = (what: string, rowsPerSec: number, bytesPerRow?: number): TableRow => ({
  what,
  'rows/s': rowsPerSec,
  'µs/row': 1e6 / rowsPerSec,
  ...(bytesPerRow === undefined ? {} : { 'bytes/row': bytesPerRow }),
});
printTable(
  `sinks: ${formatNumber(ROWS)} packet rows (one-by-one ADX: ${formatNumber(SINGLE_ROWS)} streaming, ${formatNumber(QUEUED_SINGLE_ROWS)} queued)`,
  [
    rate(`ADX streaming -> stand-in, batched (${streaming.batches} requests)`, streaming.batched),
    rate('ADX streaming -> stand-in, one row per write + flush', streaming.single),
    rate(`ADX queued -> Azurite, batched (${queued.batches} blobs)`, queued.batched),
    rate('ADX queued -> Azurite, one row per write + flush', queued.single),
    rate('DuckDB appender, 1k rows per write', duckdb),
    rate('JSON line (ADX encoder)', encoding.json, encoding.jsonBytesPerRow),
    rate('Avro, serde.serialize (header + binary)', encoding.avroSerde, encoding.avroBytesPerRow + 5),
    rate('Avro, avsc toBuffer only', encoding.avroRaw, encoding.avroBytesPerRow),
  ],
);

printJsonLine({
  bench: 'sinks',
  rows: ROWS,
  adx_target: 'streaming: Kusto stand-in (loopback); queued: Azurite + stand-in',
  adx_batched_rps: Math.round(streaming.batched),
  adx_single_rps: Math.round(streaming.single),
  adx_batched_requests: streaming.batches,
  adx_single_rows: SINGLE_ROWS,
  adx_queued_batched_rps: Math.round(queued.batched),
  adx_queued_single_rps: Math.round(queued.single),
  adx_queued_blobs: queued.batches,
  adx_queued_single_rows: QUEUED_SINGLE_ROWS,
  duckdb_rps: Math.round(duckdb),
  avro_encode_rps: Math.round(encoding.avroSerde),
  avro_raw_encode_rps: Math.round(encoding.avroRaw),
  json_encode_rps: Math.round(encoding.json),
  avro_ns_per_row: nsPerRow(encoding.avroSerde),
  json_ns_per_row: nsPerRow(encoding.json),
  avro_bytes_per_row: Math.round(encoding.avroBytesPerRow + 5),
  json_bytes_per_row: Math.round(encoding.jsonBytesPerRow),
  peakRssMb: peakRssMb(),
  // The machine is shared: a load above its core count slows every figure above.
  load_avg_1m: Math.round(loadavg()[0]! * 10) / 10,
});
