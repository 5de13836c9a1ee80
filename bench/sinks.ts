/**
 * Sinks bench (`npm run bench -- sinks`): what the ADX and DuckDB sinks and the two encodings cost
 * per row of the network monitor's packet data.
 *
 * - ADX, streaming ingestion through the real azure-kusto-ingest SDK to the local Kusto stand-in
 *   (test/helpers/kusto-stand-in.ts, loopback HTTP; it gunzips and keeps each request, which is
 *   part of the time). "batched": the sink's own batching (up to 10 000 rows or 4 MiB per request), records
 *   written 500 at a time, then one flush. "single": a batch of 1 per write followed by flush, so
 *   one HTTP request per row. A real cluster adds network latency per request, which widens the gap.
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { type AdxRow, adxSink } from '../src/connectors/adx/index.js';
import { jsonRowEncoder } from '../src/connectors/adx/row-format.js';
import {
  type AvroPacket,
  avroSerde,
  PACKET_AVRO_SCHEMA,
  type SchemaRegistryClient,
} from '../src/connectors/avro/index.js';
import { duckDbSink } from '../src/connectors/duckdb/index.js';
import type { StreamRecord } from '../src/runtime/record.js';
import { KustoStandIn } from '../test/helpers/kusto-stand-in.js';
import { formatNumber, measure, peakRssMb, printJsonLine, printTable } from './harness/index.js';

const ROWS = Number(process.env.BENCH_SINK_ROWS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
/** One HTTP request per row: fewer rows, or this part alone would take minutes. */
const SINGLE_ROWS = Math.min(ROWS, 2_000);

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

async function adxRates(): Promise<{ batched: number; single: number; requests: number }> {
  const engine = await KustoStandIn.start();
  const sinkFor = () =>
    adxSink<string, AvroPacket>({
      clusterUrl: engine.url,
      database: 'NetMon',
      table: 'Packets',
      auth: { kind: 'none' },
      ingestion: 'streaming',
      mappingName: 'PacketsMapping',
      batch: { maxRows: 10_000, maxDelay: '1h' },
    });
  try {
    const batchedSink = sinkFor();
    await batchedSink.write(records.slice(0, 1_000)); // warm-up: connection, SDK code paths
    await batchedSink.flush();
    engine.requests.length = 0;
    const batched = await measure(async () => {
      for (let i = 0; i < records.length; i += 500) await batchedSink.write(records.slice(i, i + 500));
      await batchedSink.flush();
      return records.length;
    });
    const requests = engine.ingestRequests().length;
    await batchedSink.close();
    engine.requests.length = 0;

    const singleSink = sinkFor();
    const single = await measure(async () => {
      for (let i = 0; i < SINGLE_ROWS; i++) {
        await singleSink.write([records[i]!]);
        await singleSink.flush();
      }
      return SINGLE_ROWS;
    });
    const singleRequests = engine.ingestRequests().length;
    await singleSink.close();
    if (singleRequests !== SINGLE_ROWS) {
      throw new Error(`one-by-one ADX run sent ${singleRequests} requests for ${SINGLE_ROWS} rows`);
    }
    return { batched: batched.recordsPerSec, single: single.recordsPerSec, requests };
  } finally {
    await engine.stop();
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

const adx = await adxRates();
const duckdb = await duckDbRate();
const encoding = await encodingRates();

const nsPerRow = (rps: number) => Math.round(1e9 / rps);
printTable(`sinks: ${formatNumber(ROWS)} packet rows (one-by-one ADX: ${formatNumber(SINGLE_ROWS)})`, [
  {
    what: `ADX streaming -> stand-in, batched (${adx.requests} requests)`,
    'rows/s': adx.batched,
    'µs/row': 1e6 / adx.batched,
  },
  {
    what: 'ADX streaming -> stand-in, one row per write + flush',
    'rows/s': adx.single,
    'µs/row': 1e6 / adx.single,
  },
  { what: 'DuckDB appender, 1k rows per write', 'rows/s': duckdb, 'µs/row': 1e6 / duckdb },
  {
    what: 'JSON line (ADX encoder)',
    'rows/s': encoding.json,
    'µs/row': 1e6 / encoding.json,
    'bytes/row': encoding.jsonBytesPerRow,
  },
  {
    what: 'Avro, serde.serialize (header + binary)',
    'rows/s': encoding.avroSerde,
    'µs/row': 1e6 / encoding.avroSerde,
    'bytes/row': encoding.avroBytesPerRow + 5,
  },
  {
    what: 'Avro, avsc toBuffer only',
    'rows/s': encoding.avroRaw,
    'µs/row': 1e6 / encoding.avroRaw,
    'bytes/row': encoding.avroBytesPerRow,
  },
]);

printJsonLine({
  bench: 'sinks',
  rows: ROWS,
  adx_target: 'kusto-stand-in streaming endpoint (loopback)',
  adx_batched_rps: Math.round(adx.batched),
  adx_batched_requests: adx.requests,
  adx_single_rps: Math.round(adx.single),
  adx_single_rows: SINGLE_ROWS,
  duckdb_rps: Math.round(duckdb),
  avro_encode_rps: Math.round(encoding.avroSerde),
  avro_raw_encode_rps: Math.round(encoding.avroRaw),
  json_encode_rps: Math.round(encoding.json),
  avro_ns_per_row: nsPerRow(encoding.avroSerde),
  json_ns_per_row: nsPerRow(encoding.json),
  avro_bytes_per_row: Math.round(encoding.avroBytesPerRow + 5),
  json_bytes_per_row: Math.round(encoding.jsonBytesPerRow),
  peakRssMb: peakRssMb(),
});
