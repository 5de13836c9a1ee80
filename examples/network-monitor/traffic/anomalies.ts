/**
 * Injected anomalies, each from its own source address (the traffic spike: from a dedicated
 * "normal" host that suddenly sends far more), with the labels that say which detectors should fire.
 * Anomaly packets are planned up front (their count is bounded by the spec), so labels are known
 * before the capture is written.
 */
import type { DetectorName } from '../types.js';
import { anomalySource, anomalyTarget, type Host, type Network } from './hosts.js';
import { type AnomalyKind, firstWindowCrossing, PACKET_RATE_THRESHOLD, type TrafficLabel } from './labels.js';
import type { PcapPacket } from './pcap/file.js';
import { TCP_ACK, TCP_RST } from './pcap/frames.js';
import { DNS_RCODE_NXDOMAIN, DNS_TYPE_A, dns } from './pcap/protocols.js';
import { TcpConversation } from './pcap/tcp-conversation.js';
import type { SeededRandom } from './random.js';
import { slowHttpSession, udpFrame } from './sessions.js';

/** One anomaly to inject. */
export interface AnomalySpec {
  readonly kind: AnomalyKind;
  /** Start, seconds after the capture start. */
  readonly atS: number;
  /** How long it lasts, seconds (default per kind: see ANOMALY_DEFAULTS). */
  readonly durationS?: number;
  /** Scales its size (ports scanned, SYNs, queries, spike factor, sessions, packets); default 1. */
  readonly intensity?: number;
}

/** Default duration (s) and size at intensity 1 of each kind. */
export const ANOMALY_DEFAULTS: Readonly<Record<AnomalyKind, { durationS: number; size: number }>> = {
  'port-scan': { durationS: 20, size: 600 }, // distinct ports
  'syn-flood': { durationS: 40, size: 4000 }, // SYNs
  'dns-nxdomain': { durationS: 30, size: 300 }, // queries answered NXDOMAIN
  'traffic-spike': { durationS: 120, size: 15 }, // rate factor over the host's usual rate
  'slow-response': { durationS: 90, size: 45 }, // HTTP exchanges answered late
  'packet-rate': { durationS: 60, size: 2000 }, // UDP datagrams
};

const KIND_INDEX: Readonly<Record<AnomalyKind, number>> = {
  'port-scan': 1,
  'syn-flood': 2,
  'dns-nxdomain': 3,
  'traffic-spike': 4,
  'slow-response': 5,
  'packet-rate': 6,
};

/** Ports a scanned host answers with SYN-ACK (the rest get RST). */
const OPEN_PORTS = new Set([22, 80, 443, 8080]);
/** How late the slow server answers, ms (±30 % jitter keeps every answer above 5000 ms). */
const SLOW_DELAY_MS = 8000;
const DGA_DOMAINS = ['update-check.example', 'cdn-sync.example', 'telemetry.example'];

/** A traffic spike: the normal engine multiplies `host`'s rate by `factor` in [fromMicros, toMicros). */
export interface SpikePlan {
  readonly host: Host;
  readonly fromMicros: number;
  readonly toMicros: number;
  readonly factor: number;
}

/** Everything planned for the anomalies of one capture. */
export interface AnomalyPlan {
  /** Packets of all anomalies except spikes, sorted by time. */
  readonly packets: PcapPacket[];
  readonly labels: TrafficLabel[];
  /** Spikes, carried out by the normal traffic engine. */
  readonly spikes: SpikePlan[];
}

/** What one anomaly builder gets: its own PRNG, the network, its ordinal among its kind, start (µs), length (µs) and size. */
interface AnomalyContext {
  rng: SeededRandom;
  network: Network;
  n: number;
  t0: number;
  durationMicros: number;
  size: number;
}

interface Built {
  packets: PcapPacket[];
  /** Addresses only this anomaly uses (their packets are all here): checked against the packet-rate threshold. */
  dedicated: string[];
  labels: TrafficLabel[];
}

function label(
  anomaly: AnomalyKind,
  detector: DetectorName,
  source: string,
  startMicros: number,
  endMicros: number,
  tolerated: DetectorName[],
): TrafficLabel {
  return {
    anomaly,
    detector,
    source,
    startMs: Math.floor(startMicros / 1000),
    endMs: Math.ceil(endMicros / 1000),
    tolerated,
  };
}

function lastTime(packets: PcapPacket[], from: string): number {
  let last = 0;
  for (const p of packets) if (sourceIp(p.frame) === from) last = Math.max(last, p.timestampMicros);
  return last;
}

/** The IPv4 source address of an Ethernet/IPv4 frame (anomaly frames are all IPv4). */
function sourceIp(frame: Buffer): string {
  return `${frame[26]}.${frame[27]}.${frame[28]}.${frame[29]}`;
}

function portScan({ rng, n, t0, durationMicros, size }: AnomalyContext): Built {
  const scanner = anomalySource(KIND_INDEX['port-scan'], n);
  const target = anomalyTarget(10 + n);
  const scannerPort = rng.int(40000, 60000); // one source port for the whole scan, as scanners do
  const ports = rng.distinctInts(Math.min(size, 60000), 1, 60000);
  const packets: PcapPacket[] = [];
  ports.forEach((port, i) => {
    const t = t0 + Math.floor((i * durationMicros) / ports.length) + rng.int(0, 500);
    const c = new TcpConversation(
      { ...scanner, port: scannerPort },
      { ...target, port },
      rng.int(1, 2 ** 31),
      rng.int(1, 2 ** 31),
    );
    packets.push(c.syn(t));
    const answer = t + rng.int(100, 1500);
    if (OPEN_PORTS.has(port)) {
      packets.push(c.synAck(answer));
      packets.push(c.segment(true, answer + rng.int(50, 300), TCP_RST));
    } else {
      packets.push(c.segment(false, answer, TCP_RST | TCP_ACK));
    }
  });
  const end = lastTime(packets, scanner.ip);
  return {
    packets,
    dedicated: [scanner.ip, target.ip],
    labels: [label('port-scan', 'port-scan', scanner.ip, t0, end, ['syn-flood', 'traffic-spike'])],
  };
}

function synFlood({ rng, n, t0, durationMicros, size }: AnomalyContext): Built {
  const attacker = anomalySource(KIND_INDEX['syn-flood'], n);
  const target = anomalyTarget(20 + n);
  const packets: PcapPacket[] = [];
  for (let i = 0; i < size; i++) {
    const t = t0 + Math.floor((i * durationMicros) / size) + rng.int(0, 200);
    const c = new TcpConversation(
      { ...attacker, port: rng.int(1024, 65535) },
      { ...target, port: 80 },
      rng.int(1, 2 ** 31),
    );
    packets.push(c.syn(t)); // never answered
  }
  const end = lastTime(packets, attacker.ip);
  return {
    packets,
    dedicated: [attacker.ip, target.ip],
    labels: [label('syn-flood', 'syn-flood', attacker.ip, t0, end, ['traffic-spike'])],
  };
}

function randomLabel(rng: SeededRandom, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

function nxdomainBurst({ rng, network, n, t0, durationMicros, size }: AnomalyContext): Built {
  const client = anomalySource(KIND_INDEX['dns-nxdomain'], n);
  const resolver = network.resolvers[n % network.resolvers.length]!;
  const packets: PcapPacket[] = [];
  let firstAnswer = Number.POSITIVE_INFINITY;
  for (let i = 0; i < size; i++) {
    const t = t0 + Math.floor((i * durationMicros) / size) + rng.int(0, 1000);
    const id = rng.int(0, 0xffff);
    const port = rng.int(32768, 60999);
    const questions = [
      { name: `${randomLabel(rng, rng.int(8, 16))}.${rng.pick(DGA_DOMAINS)}`, type: DNS_TYPE_A },
    ];
    packets.push({
      timestampMicros: t,
      frame: udpFrame(client, resolver, port, 53, dns({ id, response: false, questions })),
    });
    const answer = t + rng.int(1000, 20000);
    firstAnswer = Math.min(firstAnswer, answer);
    packets.push({
      timestampMicros: answer,
      frame: udpFrame(
        resolver,
        client,
        53,
        port,
        dns({ id, response: true, rcode: DNS_RCODE_NXDOMAIN, questions }),
      ),
    });
  }
  const end = Math.max(...packets.map((p) => p.timestampMicros));
  return {
    packets,
    dedicated: [client.ip],
    labels: [label('dns-nxdomain', 'dns-nxdomain', client.ip, firstAnswer, end, ['traffic-spike'])],
  };
}

function slowServer({ rng, network, n, t0, durationMicros, size }: AnomalyContext): Built {
  const server = anomalyTarget(30 + n);
  const packets: PcapPacket[] = [];
  for (let i = 0; i < size; i++) {
    const t = t0 + Math.floor((i * durationMicros) / size) + rng.int(0, 500_000);
    packets.push(...slowHttpSession(rng, rng.pick(network.clients), server, SLOW_DELAY_MS, t));
  }
  const fromServer = packets.filter((p) => sourceIp(p.frame) === server.ip).map((p) => p.timestampMicros);
  return {
    packets,
    dedicated: [server.ip],
    labels: [
      label('slow-response', 'slow-response', server.ip, Math.min(...fromServer), Math.max(...fromServer), [
        'traffic-spike',
      ]),
    ],
  };
}

function bulkSender({ rng, n, t0, durationMicros, size }: AnomalyContext): Built {
  const sender = anomalySource(KIND_INDEX['packet-rate'], n);
  const collector = anomalyTarget(60 + n);
  const port = rng.int(32768, 60999);
  const packets: PcapPacket[] = [];
  for (let i = 0; i < size; i++) {
    const t = t0 + Math.floor((i * durationMicros) / size) + rng.int(0, 2000);
    packets.push({
      timestampMicros: t,
      frame: udpFrame(sender, collector, port, 6000, Buffer.alloc(rng.int(60, 240), 0x42)),
    });
  }
  // Its packet-rate label comes from the generic threshold check below.
  return { packets, dedicated: [sender.ip, collector.ip], labels: [] };
}

/** The builder of each kind with its own packets (a spike is carried out by the normal engine). */
const BUILDERS: Readonly<Record<Exclude<AnomalyKind, 'traffic-spike'>, (context: AnomalyContext) => Built>> =
  {
    'port-scan': portScan,
    'syn-flood': synFlood,
    'dns-nxdomain': nxdomainBurst,
    'slow-response': slowServer,
    'packet-rate': bulkSender,
  };

/** Labels for every dedicated address whose packets cross the packet-rate threshold in some default window. */
function packetRateLabels(kind: AnomalyKind, built: Built): TrafficLabel[] {
  const out: TrafficLabel[] = [];
  for (const ip of built.dedicated) {
    const times = built.packets.filter((p) => sourceIp(p.frame) === ip).map((p) => p.timestampMicros);
    times.sort((a, b) => a - b);
    const crossing = firstWindowCrossing(times, PACKET_RATE_THRESHOLD);
    if (crossing !== undefined)
      out.push(label(kind, 'packet-rate', ip, crossing, times.at(-1)!, ['traffic-spike']));
  }
  return out;
}

/** Plans every anomaly of a capture starting at `startMicros`; `spikeHosts[i]` serves the i-th spike. */
export function planAnomalies(
  rng: SeededRandom,
  network: Network,
  specs: readonly AnomalySpec[],
  startMicros: number,
  spikeHosts: readonly Host[],
): AnomalyPlan {
  const packets: PcapPacket[] = [];
  const labels: TrafficLabel[] = [];
  const spikes: SpikePlan[] = [];
  const seen = new Map<AnomalyKind, number>();
  specs.forEach((spec, index) => {
    const n = seen.get(spec.kind) ?? 0;
    seen.set(spec.kind, n + 1);
    const defaults = ANOMALY_DEFAULTS[spec.kind];
    const durationMicros = Math.round((spec.durationS ?? defaults.durationS) * 1e6);
    const size = Math.max(1, Math.round(defaults.size * (spec.intensity ?? 1)));
    const t0 = startMicros + Math.round(spec.atS * 1e6);
    const own = rng.fork(1000 + index);
    if (spec.kind === 'traffic-spike') {
      const host = spikeHosts[n]!;
      spikes.push({ host, fromMicros: t0, toMicros: t0 + durationMicros, factor: size });
      labels.push(label('traffic-spike', 'traffic-spike', host.ip, t0, t0 + durationMicros, ['packet-rate']));
      return;
    }
    const context: AnomalyContext = { rng: own, network, n, t0, durationMicros, size };
    const built = BUILDERS[spec.kind](context);
    packets.push(...built.packets);
    labels.push(...built.labels, ...packetRateLabels(spec.kind, built));
  });
  packets.sort((a, b) => a.timestampMicros - b.timestampMicros);
  return { packets, labels, spikes };
}
