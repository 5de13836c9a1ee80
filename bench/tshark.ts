/**
 * tshark source bench: `npx tsx bench/tshark.ts` (TSHARK_BENCH_PACKETS=N to change the ~200k size,
 * TSHARK_BENCH_REPS=N the rounds of raw/source runs, best of which is reported; default 2).
 *
 * On a generated pcap of mixed traffic it measures
 *   1. raw tshark: `tshark -r F -T ek > /dev/null`, and the same with the source's field selection;
 *   2. the source reading the same file to the end, parsing every line into a Packet, in both
 *      `fields` modes, as a ratio to the matching raw tshark run;
 *   3. a consumer ten times slower than tshark: resident memory sampled while it runs, to show it
 *      stays bounded (the source stops reading; tshark waits on its pipe).
 * Prints a table, then one JSON line of figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tsharkArgs } from '../src/connectors/tshark/capture-command.js';
import { parseEkLine } from '../src/connectors/tshark/ek-parser.js';
import { tsharkSource } from '../src/connectors/tshark/index.js';
import { resolveTsharkOptions } from '../src/connectors/tshark/options.js';
import { writePcapFrom } from '../test/helpers/pcap.js';
import { syntheticTrafficStream } from '../test/helpers/pcap-traffic.js';
import { formatNumber, measure, peakRssMb, printJsonLine, printTable } from './harness/index.js';

const PACKETS = Number(process.env.TSHARK_BENCH_PACKETS ?? 200_000);
const REPS = Number(process.env.TSHARK_BENCH_REPS ?? 2);
const SLOW_CONSUMER_SECONDS = 20;
const BATCH = 500;
const MiB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-tshark-'));
const file = join(dir, 'traffic.pcap');

/** Runs tshark with `args`, stdout to `output` (default /dev/null); resolves to wall-clock milliseconds. */
async function rawTshark(args: string[], output = '/dev/null'): Promise<number> {
  const devNull = openSync(output, 'w');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('tshark', args, { stdio: ['ignore', devNull, 'ignore'] });
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

/**
 * A consumer that takes `BATCH / rate` seconds per batch, for a while; samples our RSS meanwhile.
 */
async function slowConsumer(packetsPerSecond: number) {
  const source = tsharkSource({ file, batchSize: BATCH });
  const controller = new AbortController();
  const perBatchMs = (BATCH / packetsPerSecond) * 1000;
  const rss: number[] = [];
  const heap: number[] = [];
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rss.push(usage.rss);
    heap.push(usage.heapUsed);
  }, 250);
  const deadline = performance.now() + SLOW_CONSUMER_SECONDS * 1000;
  let packets = 0;
  for await (const batch of source.batches(controller.signal)) {
    packets += batch.length;
    await sleep(perBatchMs);
    if (performance.now() > deadline) break;
  }
  clearInterval(sampler);
  await source.close();
  // Skip the first second: tshark's start and the first batches.
  const steadyRss = rss.slice(4);
  const steadyHeap = heap.slice(4);
  return {
    packets,
    consumerPacketsPerSec: packetsPerSecond,
    rssMinMb: Math.min(...steadyRss) / MiB,
    rssMaxMb: Math.max(...steadyRss) / MiB,
    heapMinMb: Math.min(...steadyHeap) / MiB,
    heapMaxMb: Math.max(...steadyHeap) / MiB,
    bytesReadMb: source.bytesRead / MiB,
    pausedMs: source.pausedMs,
  };
}

try {
  console.error(`[tshark bench] writing ${PACKETS} packets of mixed traffic to ${file}`);
  writePcapFrom(file, syntheticTrafficStream(PACKETS));

  const modelArgs = tsharkArgs(resolveTsharkOptions({ file }), file);
  const allArgs = ['-r', file, '-T', 'ek'];
  console.error('[tshark bench] raw tshark, model fields');
  let rawModelMs = await rawTshark(modelArgs);

  const tsharkRate = (PACKETS * 1000) / rawModelMs;
  console.error(
    `[tshark bench] slow consumer at ${Math.round(tsharkRate / 10)} packets/s for ${SLOW_CONSUMER_SECONDS} s`,
  );
  const slow = await slowConsumer(tsharkRate / 10);
  const slowPeakRssMb = peakRssMb();

  // The machine may be shared: each source run follows its raw run, and the best of REPS counts.
  let rawAllMs = Number.POSITIVE_INFINITY;
  let model: Awaited<ReturnType<typeof fullParse>> | undefined;
  let all: Awaited<ReturnType<typeof fullParse>> | undefined;
  for (let rep = 1; rep <= REPS; rep++) {
    console.error(`[tshark bench] round ${rep}/${REPS}: raw and source, model fields, then all fields`);
    if (rep > 1) rawModelMs = Math.min(rawModelMs, await rawTshark(modelArgs));
    const modelRun = await fullParse('model');
    if (!model || modelRun.elapsedMs < model.elapsedMs) model = modelRun;
    rawAllMs = Math.min(rawAllMs, await rawTshark(allArgs));
    const allRun = await fullParse('all');
    if (!all || allRun.elapsedMs < all.elapsedMs) all = allRun;
  }
  if (!model || !all) throw new Error('TSHARK_BENCH_REPS must be at least 1');
  const fullRunsPeakRssMb = peakRssMb();
  console.error('[tshark bench] parser alone');
  const ekFile = join(dir, 'model.ek');
  await rawTshark(modelArgs, ekFile);
  const parser = parseOnly(ekFile);

  printTable(`tshark source, ${formatNumber(PACKETS)} packets of mixed traffic`, [
    {
      run: 'raw tshark -T ek > /dev/null',
      seconds: rawAllMs / 1000,
      'packets/s': (PACKETS * 1000) / rawAllMs,
      'EK MiB': all.bytesRead / MiB,
      'x raw': 1,
    },
    {
      run: 'source, fields: all (parse to Packet)',
      seconds: all.elapsedMs / 1000,
      'packets/s': all.recordsPerSec,
      'EK MiB': all.bytesRead / MiB,
      'x raw': all.elapsedMs / rawAllMs,
    },
    {
      run: 'raw tshark -T ek -e <model fields> > /dev/null',
      seconds: rawModelMs / 1000,
      'packets/s': tsharkRate,
      'EK MiB': model.bytesRead / MiB,
      'x raw': 1,
    },
    {
      run: 'source, fields: model (default)',
      seconds: model.elapsedMs / 1000,
      'packets/s': model.recordsPerSec,
      'EK MiB': model.bytesRead / MiB,
      'x raw': model.elapsedMs / rawModelMs,
    },
  ]);
  console.log(
    `\nParser alone (model EK lines from a file, one core): ${formatNumber(parser.microsPerPacket)} µs/packet, ` +
      `${formatNumber(parser.packetsPerSec)} packets/s.`,
  );
  console.log(
    `Slow consumer (${formatNumber(slow.consumerPacketsPerSec)} packets/s, 1/10 of tshark) for ${SLOW_CONSUMER_SECONDS} s: ` +
      `${formatNumber(slow.packets)} packets, RSS ${formatNumber(slow.rssMinMb)}-${formatNumber(slow.rssMaxMb)} MiB, ` +
      `heap ${formatNumber(slow.heapMinMb)}-${formatNumber(slow.heapMaxMb)} MiB ` +
      `(process peak ${formatNumber(slowPeakRssMb)} MiB), EK read ${formatNumber(slow.bytesReadMb)} of ` +
      `${formatNumber(model.bytesRead / MiB)} MiB, source paused ${formatNumber(slow.pausedMs / 1000)} s.\n`,
  );
  printJsonLine({
    bench: 'tshark',
    packets: PACKETS,
    rawAllSeconds: rawAllMs / 1000,
    sourceAllSeconds: all.elapsedMs / 1000,
    sourceAllRatio: all.elapsedMs / rawAllMs,
    ekAllMiB: all.bytesRead / MiB,
    rawModelSeconds: rawModelMs / 1000,
    sourceModelSeconds: model.elapsedMs / 1000,
    sourceModelRatio: model.elapsedMs / rawModelMs,
    ekModelMiB: model.bytesRead / MiB,
    sourceModelPacketsPerSec: model.recordsPerSec,
    parserMicrosPerPacket: parser.microsPerPacket,
    parserPacketsPerSec: parser.packetsPerSec,
    slowConsumerPacketsPerSec: slow.consumerPacketsPerSec,
    slowConsumerRssMaxMiB: slow.rssMaxMb,
    slowConsumerRssMinMiB: slow.rssMinMb,
    slowConsumerHeapMaxMiB: slow.heapMaxMb,
    slowConsumerPeakRssMiB: slowPeakRssMb,
    fullRunsPeakRssMiB: fullRunsPeakRssMb,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
