/**
 * tshark source bench: `npm run bench -- tshark` (TSHARK_BENCH_PACKETS=N sets the replayed capture,
 * default 1M packets; TSHARK_BENCH_KAFKA_PACKETS the Kafka run, default 200k; TSHARK_BENCH_REPS the
 * rounds of raw/source runs, best of which is reported, default 1; TSHARK_BENCH_ALL=1 adds full-EK runs).
 *
 * On a generated pcap of mixed traffic it measures
 *   1. raw tshark: `tshark -r F -T ek -e <model fields> > /dev/null` (and `-T ek` with every field),
 *      with the same arguments and environment as the source's tshark (the source's larger stdout
 *      buffer included, see output-buffering.ts), so the only difference is who reads the output;
 *   2. the source reading the same file to the end, parsing every line into a Packet, as a ratio
 *      to the matching raw tshark run;
 *   3. the flagship's routing topology (source -> network-packets -> branchByLayer -> per-protocol
 *      topics) on the embedded in-memory log, as a ratio to raw tshark: tributary must not be the
 *      bottleneck;
 *   4. the same topology on the real Kafka broker (pcap -> Kafka topics throughput);
 *   5. a 10x overload: the routing topology feeding a sink slowed to a tenth of tshark's rate;
 *      resident memory sampled while it runs, to show it stays bounded (the source stops reading;
 *      tshark waits on its pipe).
 * For each run it also books tshark's CPU time and this process's: tshark must not be slowed by
 * our reading (it would show as a longer run at the same tshark CPU), and our CPU per packet must
 * stay well under tshark's, as both share two cores. The load average is printed with the figures.
 * Prints a table, then one JSON line of figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tsharkArgs } from '../src/connectors/tshark/capture-command.js';
import { parseEkLine } from '../src/connectors/tshark/ek-parser.js';
import { defaultPacketTopics, type Packet, tsharkSource } from '../src/connectors/tshark/index.js';
import { resolveTsharkOptions } from '../src/connectors/tshark/options.js';
import { findLibStdbuf, withOutputBuffer } from '../src/connectors/tshark/output-buffering.js';
import { StreamsBuilder } from '../src/dsl/streams-builder.js';
import { StreamsApp } from '../src/runtime/app/streams-app.js';
import type { SinkConnector } from '../src/runtime/connector.js';
import { jsonSerde, stringSerde } from '../src/runtime/serde.js';
import { writePcapFrom } from '../test/helpers/pcap.js';
import { syntheticTrafficStream } from '../test/helpers/pcap-traffic.js';
import {
  formatNumber,
  measure,
  peakRssMb,
  printJsonLine,
  printTable,
  withBenchKafka,
} from './harness/index.js';

const PACKETS = Number(process.env.TSHARK_BENCH_PACKETS ?? 1_000_000);
const KAFKA_PACKETS = Number(process.env.TSHARK_BENCH_KAFKA_PACKETS ?? 200_000);
const REPS = Number(process.env.TSHARK_BENCH_REPS ?? 1);
const WITH_ALL_FIELDS = process.env.TSHARK_BENCH_ALL === '1';
const SLOW_CONSUMER_SECONDS = 20;
const BATCH = 500;
const MiB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-tshark-'));
const file = join(dir, 'traffic.pcap');
const kafkaFile = join(dir, 'traffic-kafka.pcap');

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU milliseconds of the child processes this process has reaped (tshark's, once it exited). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of /proc/PID/stat; `fields` starts at field 3.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ;
}

/** This process's CPU milliseconds (all threads: JS, garbage collector, libuv). */
function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU seconds of tshark and of this process over `fn`, with `fn`'s result. */
async function withCpu<T>(fn: () => Promise<T>): Promise<T & { tsharkCpuS: number; ourCpuS: number }> {
  const tshark0 = childrenCpuMs();
  const own0 = ownCpuMs();
  const result = await fn();
  // tshark has exited when fn resolves; give Node a moment to reap it so its times are booked.
  await sleep(50);
  return { ...result, tsharkCpuS: (childrenCpuMs() - tshark0) / 1000, ourCpuS: (ownCpuMs() - own0) / 1000 };
}

/** The 1-minute load average, for the figures (the machine may be shared). */
function load(): number {
  return Number(loadavg()[0]!.toFixed(2));
}

/** Runs tshark with `args`, stdout to `output` (default /dev/null); resolves to wall-clock milliseconds. */
async function rawTshark(args: string[], output = '/dev/null'): Promise<number> {
  const devNull = openSync(output, 'w');
  const started = performance.now();
  // The same environment as the source gives its tshark (in replays: the larger stdout buffer).
  const env = withOutputBuffer(
    process.env,
    resolveTsharkOptions({ file }).outputBufferBytes,
    findLibStdbuf(),
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn('tshark', args, { stdio: ['ignore', devNull, 'ignore'], env });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`tshark ${args.join(' ')} exited ${code}`)),
    );
  });
  return performance.now() - started;
}

/** The parser alone, in this process, over EK lines tshark wrote to `ekFile`: CPU cost per packet. */
function parseOnly(ekFile: string) {
  const text = readFileSync(ekFile, 'utf8');
  const run = () => {
    let packets = 0;
    let lineNumber = 0;
    for (
      let start = 0, end = text.indexOf('\n');
      end !== -1;
      start = end + 1, end = text.indexOf('\n', start)
    ) {
      if (parseEkLine(text.slice(start, end), ++lineNumber)) packets++;
    }
    return packets;
  };
  run(); // warm-up
  const started = performance.now();
  const packets = run();
  const elapsedMs = performance.now() - started;
  if (packets !== PACKETS) throw new Error(`parsed ${packets} of ${PACKETS} packets`);
  return {
    elapsedMs,
    microsPerPacket: (elapsedMs * 1000) / packets,
    packetsPerSec: (packets * 1000) / elapsedMs,
  };
}

/** Reads the whole file through the source; returns the measurement and the EK bytes read. */
async function fullParse(fields: 'model' | 'all') {
  const source = tsharkSource({ file, fields, batchSize: BATCH });
  const measurement = await measure(async () => {
    let packets = 0;
    for await (const batch of source.batches(new AbortController().signal)) packets += batch.length;
    return packets;
  });
  if (measurement.records !== PACKETS) throw new Error(`read ${measurement.records} of ${PACKETS} packets`);
  return { ...measurement, bytesRead: source.bytesRead };
}

/** The routing topology: packets -> `network-packets` -> branchByLayer -> the default per-protocol topics. */
function routingTopology(
  pcap: string,
  kafka: boolean,
  prefix = '',
  slowSink?: SinkConnector<string, Packet>,
) {
  const b = new StreamsBuilder();
  const serdes = kafka ? { key: stringSerde, value: jsonSerde<Packet>() } : {};
  const packets = b.stream<string, Packet>(tsharkSource({ file: pcap, batchSize: BATCH }), {
    topic: `${prefix}network-packets`,
    ...serdes,
  });
  const byLayer = packets.branchByLayer(['tcp', 'udp', 'icmp', 'arp', 'dns', 'http', 'tls']);
  for (const [layer, stream] of Object.entries(byLayer)) {
    if (slowSink) stream.to(slowSink);
    else {
      const topic = layer === 'default' ? defaultPacketTopics.other : defaultPacketTopics[layer as 'tcp'];
      stream.to(`${prefix}${topic}`, serdes);
    }
  }
  return b.build();
}

/** Runs the routing topology over `pcap` to the end; resolves to packets per second. */
async function routing(pcap: string, packets: number, brokers?: string[]): Promise<number> {
  const prefix = brokers ? `bench-${Date.now()}.` : '';
  const app = new StreamsApp(routingTopology(pcap, brokers !== undefined, prefix), {
    applicationId: `${prefix}tshark-routing`,
    stateDir: join(dir, 'state'),
    ...(brokers ? { kafka: { brokers, createSourceTopics: true } } : {}),
  });
  const started = performance.now();
  await app.start();
  await app.whenDone();
  const seconds = (performance.now() - started) / 1000;
  const routed = [...app.metrics()].filter(([k]) => k.startsWith('sink.')).reduce((sum, [, v]) => sum + v, 0);
  await app.close();
  if (!brokers && routed !== packets) throw new Error(`routed ${routed} of ${packets} packets`);
  return packets / seconds;
}

/**
 * 10x overload: the routing topology writes to a sink that takes `BATCH / rate` seconds per batch;
 * samples our RSS meanwhile. The source's backlog bound pauses tshark instead of buffering.
 */
async function overload(packetsPerSecond: number) {
  let delivered = 0;
  const slowSink: SinkConnector<string, Packet> = {
    name: 'slow-sink',
    async write(batch) {
      delivered += batch.length;
      await sleep((batch.length / packetsPerSecond) * 1000);
    },
  };
  const app = new StreamsApp(routingTopology(file, false, '', slowSink), {
    applicationId: 'tshark-overload',
    stateDir: join(dir, 'state'),
    batchSize: BATCH,
  });
  const rss: number[] = [];
  const heap: number[] = [];
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rss.push(usage.rss);
    heap.push(usage.heapUsed);
  }, 250);
  await app.start();
  await sleep(SLOW_CONSUMER_SECONDS * 1000);
  const fedToLog = [...app.metrics()]
    .filter(([k]) => k.startsWith('source.'))
    .reduce((sum, [, v]) => sum + v, 0);
  clearInterval(sampler);
  await app.close();
  // Skip the first second: tshark's start and the first batches.
  const steadyRss = rss.slice(4);
  const steadyHeap = heap.slice(4);
  return {
    packets: delivered,
    fedToLog,
    consumerPacketsPerSec: packetsPerSecond,
    rssMinMb: Math.min(...steadyRss) / MiB,
    rssMaxMb: Math.max(...steadyRss) / MiB,
    heapMinMb: Math.min(...steadyHeap) / MiB,
    heapMaxMb: Math.max(...steadyHeap) / MiB,
  };
}

try {
  console.error(`[tshark bench] writing ${PACKETS} packets of mixed traffic to ${file}`);
  writePcapFrom(file, syntheticTrafficStream(PACKETS));
  writePcapFrom(kafkaFile, syntheticTrafficStream(KAFKA_PACKETS));

  const modelArgs = tsharkArgs(resolveTsharkOptions({ file }), file);
  const allArgs = ['-r', file, '-T', 'ek'];

  // The machine may be shared: raw and ours alternate, and the best of REPS counts for each.
  type Timed = { ms: number; tsharkCpuS: number; ourCpuS: number; load: number };
  const best = new Map<string, Timed & { bytesRead?: number }>();
  const keep = (name: string, run: Timed & { bytesRead?: number }) => {
    const previous = best.get(name);
    if (!previous || run.ms < previous.ms) best.set(name, run);
    console.error(
      `[tshark bench]   ${name}: ${formatNumber(run.ms / 1000)} s, tshark CPU ${formatNumber(run.tsharkCpuS)} s, ` +
        `our CPU ${formatNumber(run.ourCpuS)} s, load ${run.load}`,
    );
  };
  const timedRaw = async (args: string[]) =>
    withCpu(async () => ({ ms: await rawTshark(args), load: load() }));
  const timedSource = async (fields: 'model' | 'all') =>
    withCpu(async () => {
      const run = await fullParse(fields);
      return { ms: run.elapsedMs, bytesRead: run.bytesRead, load: load() };
    });
  for (let rep = 1; rep <= REPS; rep++) {
    console.error(`[tshark bench] round ${rep}/${REPS}: raw tshark, source, routing topology (model fields)`);
    keep('raw', await timedRaw(modelArgs));
    keep('source', await timedSource('model'));
    keep(
      'routing',
      await withCpu(async () => ({ ms: (PACKETS * 1000) / (await routing(file, PACKETS)), load: load() })),
    );
    if (WITH_ALL_FIELDS) {
      keep('raw-all', await timedRaw(allArgs));
      keep('source-all', await timedSource('all'));
    }
  }
  const raw = best.get('raw');
  const model = best.get('source');
  const routed = best.get('routing');
  if (!raw || !model || !routed) throw new Error('TSHARK_BENCH_REPS must be at least 1');
  const rawModelMs = raw.ms;
  const routingPps = (PACKETS * 1000) / routed.ms;
  const rawAll = best.get('raw-all');
  const all = best.get('source-all');
  const rawAllMs = rawAll?.ms ?? Number.NaN;
  const tsharkRate = (PACKETS * 1000) / rawModelMs;
  const cpuColumns = (run: Timed) => ({
    'tshark CPU s': run.tsharkCpuS,
    'our CPU s': run.ourCpuS,
    'our µs/packet': (run.ourCpuS * 1e6) / PACKETS,
    load: run.load,
  });

  console.error(`[tshark bench] routing topology on Kafka, ${KAFKA_PACKETS} packets`);
  const kafkaPps = await withBenchKafka((brokers) => routing(kafkaFile, KAFKA_PACKETS, brokers));

  console.error(
    `[tshark bench] 10x overload: sink at ${Math.round(tsharkRate / 10)} packets/s for ${SLOW_CONSUMER_SECONDS} s`,
  );
  const before = peakRssMb();
  const slow = await overload(tsharkRate / 10);
  const overloadPeakRssMb = peakRssMb();

  console.error('[tshark bench] parser alone');
  const ekFile = join(dir, 'model.ek');
  await rawTshark(modelArgs, ekFile);
  const parser = parseOnly(ekFile);

  const sourcePps = (PACKETS * 1000) / model.ms;
  const ekMiB = (model.bytesRead ?? 0) / MiB;
  const rows = [
    {
      run: 'raw tshark -T ek -e <model fields> > /dev/null',
      seconds: rawModelMs / 1000,
      'packets/s': tsharkRate,
      'EK MiB': ekMiB,
      'x raw rate': 1,
      ...cpuColumns(raw),
    },
    {
      run: 'source, fields: model (default)',
      seconds: model.ms / 1000,
      'packets/s': sourcePps,
      'EK MiB': ekMiB,
      'x raw rate': sourcePps / tsharkRate,
      ...cpuColumns(model),
    },
    {
      run: 'routing topology, embedded log',
      seconds: routed.ms / 1000,
      'packets/s': routingPps,
      'EK MiB': ekMiB,
      'x raw rate': routingPps / tsharkRate,
      ...cpuColumns(routed),
    },
    {
      run: `routing topology, Kafka (${formatNumber(KAFKA_PACKETS)} packets)`,
      seconds: KAFKA_PACKETS / kafkaPps,
      'packets/s': kafkaPps,
      'EK MiB': '',
      'x raw rate': kafkaPps / tsharkRate,
      'tshark CPU s': '',
      'our CPU s': '',
      'our µs/packet': '',
      load: '',
    },
  ];
  if (rawAll && all) {
    rows.push(
      {
        run: 'raw tshark -T ek > /dev/null',
        seconds: rawAllMs / 1000,
        'packets/s': (PACKETS * 1000) / rawAllMs,
        'EK MiB': (all.bytesRead ?? 0) / MiB,
        'x raw rate': 1,
        ...cpuColumns(rawAll),
      },
      {
        run: 'source, fields: all',
        seconds: all.ms / 1000,
        'packets/s': (PACKETS * 1000) / all.ms,
        'EK MiB': (all.bytesRead ?? 0) / MiB,
        'x raw rate': rawAllMs / all.ms,
        ...cpuColumns(all),
      },
    );
  }
  printTable(`tshark source, ${formatNumber(PACKETS)} packets of mixed traffic`, rows);
  console.log(
    `\nParser alone (model EK lines from a file, one core): ${formatNumber(parser.microsPerPacket)} µs/packet, ` +
      `${formatNumber(parser.packetsPerSec)} packets/s.`,
  );
  console.log(
    `10x overload (sink at ${formatNumber(slow.consumerPacketsPerSec)} packets/s, 1/10 of tshark) for ${SLOW_CONSUMER_SECONDS} s: ` +
      `${formatNumber(slow.packets)} packets delivered, ${formatNumber(slow.fedToLog)} read from tshark, ` +
      `RSS ${formatNumber(slow.rssMinMb)}-${formatNumber(slow.rssMaxMb)} MiB, heap ${formatNumber(slow.heapMinMb)}-${formatNumber(slow.heapMaxMb)} MiB ` +
      `(process peak ${formatNumber(overloadPeakRssMb)} MiB; ${formatNumber(before)} MiB before it).\n`,
  );
  printJsonLine({
    bench: 'tshark',
    packets: PACKETS,
    tributary_pps: Math.round(routingPps),
    tshark_raw_pps: Math.round(tsharkRate),
    ratio: Number((routingPps / tsharkRate).toFixed(3)),
    source_pps: Math.round(sourcePps),
    source_ratio: Number((sourcePps / tsharkRate).toFixed(3)),
    tshark_cpu_s_raw: Number(raw.tsharkCpuS.toFixed(2)),
    tshark_cpu_s_routing: Number(routed.tsharkCpuS.toFixed(2)),
    our_cpu_us_per_packet_source: Number(((model.ourCpuS * 1e6) / PACKETS).toFixed(2)),
    our_cpu_us_per_packet_routing: Number(((routed.ourCpuS * 1e6) / PACKETS).toFixed(2)),
    load_raw: raw.load,
    load_routing: routed.load,
    kafka_packets: KAFKA_PACKETS,
    kafka_pps: Math.round(kafkaPps),
    overload_peak_rss_mb: Math.round(slow.rssMaxMb),
    process_peak_rss_mb: Math.round(overloadPeakRssMb),
    overload_heap_max_mb: Math.round(slow.heapMaxMb),
    overload_read_packets: slow.fedToLog,
    parser_us_per_packet: Number(parser.microsPerPacket.toFixed(2)),
    ...(all ? { all_fields_ratio: Number((rawAllMs / all.ms).toFixed(3)) } : {}),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
