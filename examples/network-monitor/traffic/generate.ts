/**
 * The labelled traffic generator: ordinary traffic from many hosts (each with its own rate that
 * drifts over time and has harmless bursts) plus injected anomalies, as pcap packets in timestamp
 * order, produced lazily, with the ground-truth labels. Deterministic: same options, same bytes.
 */
import { type AnomalySpec, planAnomalies, type SpikePlan } from './anomalies.js';
import { buildNetwork, clientHost, type Host } from './hosts.js';
import type { TrafficLabel } from './labels.js';
import { PacketQueue } from './packet-queue.js';
import type { PcapPacket } from './pcap/file.js';
import { SeededRandom } from './random.js';
import { MEAN_PACKETS_PER_SESSION, ordinarySession, pickSessionKind } from './sessions.js';

/** What to generate. */
export interface TrafficOptions {
  /** PRNG seed: everything follows from it. */
  readonly seed: number;
  /** Length of the ordinary traffic, seconds (exchanges under way at the end finish after it). */
  readonly durationS: number;
  /** Event time of the first second, epoch ms. */
  readonly startMs: number;
  /** Ordinary client hosts. */
  readonly normalHosts: number;
  /** Mean ordinary packets per second over all hosts (anomalies come on top). */
  readonly packetsPerSecond: number;
  /** Anomalies to inject; empty for normal-only traffic. */
  readonly anomalies: readonly AnomalySpec[];
}

/** A generated capture: labels now, packets on demand. */
export interface GeneratedTraffic {
  /** The ground truth: which detector should fire for which source and interval. */
  readonly labels: readonly TrafficLabel[];
  /** The packets in timestamp order; every call starts over and yields the same sequence. */
  packets(): Generator<PcapPacket>;
}

/**
 * Most ordinary packets per second per client: above this, ordinary hosts would come near the
 * packet-rate threshold (1000 a window) by themselves and a normal-only capture would raise alerts.
 */
export const MAX_PACKETS_PER_SECOND_PER_HOST = 1.5;

/** Relative spread of client rates, the drift's amplitude and the harmless bursts. */
const RATE_WEIGHT = [0.5, 1.5] as const;
const DRIFT_AMPLITUDE = 0.3;
const DRIFT_PERIOD_S = [400, 1200] as const;
const BURST_START_PER_SECOND = 1 / 400;
const BURST_LENGTH_S = [5, 20] as const;
const BURST_FACTOR = [2, 3] as const;
/** The traffic-spike host's usual rate, exchanges per second: low, so that 10–20 times it stays under the packet-rate threshold. */
const SPIKE_HOST_SESSIONS_PER_SECOND = 0.1;

interface ClientProfile {
  host: Host;
  sessionsPerSecond: number;
  driftPeriodS: number;
  driftPhase: number;
  burstUntilS: number;
  burstFactor: number;
  spike: SpikePlan | undefined;
}

function checkOptions(options: TrafficOptions): void {
  const { durationS, normalHosts, packetsPerSecond } = options;
  if (!(durationS > 0)) throw new Error(`generateTraffic: durationS must be > 0 (got ${durationS})`);
  if (!(normalHosts >= 1 && normalHosts <= 20_000))
    throw new Error(`generateTraffic: normalHosts must be 1..20000 (got ${normalHosts})`);
  if (!(packetsPerSecond > 0))
    throw new Error(`generateTraffic: packetsPerSecond must be > 0 (got ${packetsPerSecond})`);
  if (packetsPerSecond / normalHosts > MAX_PACKETS_PER_SECOND_PER_HOST) {
    throw new Error(
      `generateTraffic: ${packetsPerSecond} packets/s over ${normalHosts} hosts is more than ${MAX_PACKETS_PER_SECOND_PER_HOST} per host: ordinary hosts would cross the packet-rate threshold. Use at least ${Math.ceil(packetsPerSecond / MAX_PACKETS_PER_SECOND_PER_HOST)} hosts.`,
    );
  }
  for (const a of options.anomalies) {
    if (!(a.atS >= 0 && a.atS < durationS))
      throw new Error(
        `generateTraffic: anomaly ${a.kind} at ${a.atS} s is outside the capture (0..${durationS} s)`,
      );
  }
}

/** Generates labelled traffic; see TrafficOptions. Throws on options that cannot give a fair capture. */
export function generateTraffic(options: TrafficOptions): GeneratedTraffic {
  checkOptions(options);
  const root = new SeededRandom(options.seed);
  const network = buildNetwork(options.normalHosts, options.packetsPerSecond, root.fork(1));
  const spikeCount = options.anomalies.filter((a) => a.kind === 'traffic-spike').length;
  const spikeHosts = Array.from({ length: spikeCount }, (_, i) => clientHost(options.normalHosts + i));
  const startMicros = options.startMs * 1000;
  const plan = planAnomalies(root.fork(2), network, options.anomalies, startMicros, spikeHosts);
  return {
    labels: plan.labels,
    packets: () => ordinaryAndAnomalous(options, network, plan.spikes, plan.packets, root.fork(3)),
  };
}

function profiles(
  rng: SeededRandom,
  options: TrafficOptions,
  clients: readonly Host[],
  spikes: readonly SpikePlan[],
): ClientProfile[] {
  const perClient = options.packetsPerSecond / (MEAN_PACKETS_PER_SESSION * options.normalHosts);
  const weights = clients.map(() => rng.between(RATE_WEIGHT[0], RATE_WEIGHT[1]));
  const meanWeight = weights.reduce((a, b) => a + b, 0) / weights.length;
  const ordinary = clients.map((host, i) => ({
    host,
    sessionsPerSecond: (perClient * weights[i]!) / meanWeight,
    driftPeriodS: rng.between(DRIFT_PERIOD_S[0], DRIFT_PERIOD_S[1]),
    driftPhase: rng.between(0, 2 * Math.PI),
    burstUntilS: -1,
    burstFactor: 1,
    spike: undefined,
  }));
  const spiking = spikes.map((spike) => ({
    host: spike.host,
    sessionsPerSecond: SPIKE_HOST_SESSIONS_PER_SECOND,
    driftPeriodS: rng.between(DRIFT_PERIOD_S[0], DRIFT_PERIOD_S[1]),
    driftPhase: rng.between(0, 2 * Math.PI),
    burstUntilS: -1,
    burstFactor: 1,
    spike,
  }));
  return [...ordinary, ...spiking];
}

/** The mean exchanges a client starts in second `s` (drift, harmless bursts, an injected spike). */
function rateAt(rng: SeededRandom, p: ClientProfile, s: number, secondMicros: number): number {
  if (p.burstUntilS < s && rng.chance(BURST_START_PER_SECOND)) {
    p.burstUntilS = s + rng.int(BURST_LENGTH_S[0], BURST_LENGTH_S[1]);
    p.burstFactor = rng.between(BURST_FACTOR[0], BURST_FACTOR[1]);
  }
  const drift = 1 + DRIFT_AMPLITUDE * Math.sin((2 * Math.PI * s) / p.driftPeriodS + p.driftPhase);
  const burst = s <= p.burstUntilS ? p.burstFactor : 1;
  const spiking =
    p.spike !== undefined && secondMicros >= p.spike.fromMicros && secondMicros < p.spike.toMicros;
  return p.sessionsPerSecond * drift * (spiking ? p.spike!.factor : burst);
}

function* ordinaryAndAnomalous(
  options: TrafficOptions,
  network: ReturnType<typeof buildNetwork>,
  spikes: readonly SpikePlan[],
  anomalyPackets: readonly PcapPacket[],
  rng: SeededRandom,
): Generator<PcapPacket> {
  const clients = profiles(rng.fork(1), options, network.clients, spikes);
  const sessions = rng.fork(2);
  const queue = new PacketQueue();
  const startMicros = options.startMs * 1000;
  let nextAnomaly = 0;
  for (let s = 0; s < options.durationS; s++) {
    const secondMicros = startMicros + s * 1_000_000;
    for (const client of clients) {
      const count = sessions.poisson(rateAt(sessions, client, s, secondMicros));
      for (let i = 0; i < count; i++) {
        const start = secondMicros + sessions.int(0, 999_999);
        for (const packet of ordinarySession(
          sessions,
          network,
          client.host,
          pickSessionKind(sessions),
          start,
        ))
          queue.push(packet);
      }
    }
    const until = secondMicros + 1_000_000;
    while (nextAnomaly < anomalyPackets.length && anomalyPackets[nextAnomaly]!.timestampMicros < until) {
      queue.push(anomalyPackets[nextAnomaly++]!);
    }
    // Nothing started later can be earlier than `until`: everything before it is final.
    yield* queue.drainBefore(until);
  }
  while (nextAnomaly < anomalyPackets.length) queue.push(anomalyPackets[nextAnomaly++]!);
  yield* queue.drainBefore(Number.POSITIVE_INFINITY);
}
