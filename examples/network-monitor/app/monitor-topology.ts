/**
 * The monitor's topology, the same in every mode:
 *
 *   tshark (or the network-packets topic) ─▶ network-packets ─┬─▶ routing ─▶ packets.<layer>
 *                                                              ├─▶ live tap (snapshot counters)
 *                                                              └─▶ monitor ─▶ stats ─▶ live tap
 *                                                                         ├─▶ closedStats ─▶ DuckDB / ADX
 *                                                                         └─▶ alerts ─▶ alerts topic, DuckDB / ADX,
 *                                                                                       console / webhook / live view
 */
import { type Packet, tsharkSource } from '../../../src/connectors/tshark/index.js';
import type { KStream } from '../../../src/dsl/kstream.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { SinkConnector } from '../../../src/runtime/connector.js';
import type { Topology } from '../../../src/runtime/topology/topology.js';
import { buildNetworkMonitor, buildPacketRouting, type MonitorConfig } from '../monitor/index.js';
import type { Alert, SourceWindowStats } from '../types.js';
import type { PacketInput } from './cli-options.js';
import type { MonitorTopics } from './topic-names.js';

/** What the topology is built from. */
export interface MonitorTopologyOptions {
  /** Capture into network-packets from here; undefined: read the topic (Kafka process role). */
  readonly input: PacketInput | undefined;
  readonly topics: MonitorTopics;
  readonly windowMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;
  /** Close the windows of a quiet partition after this much wall time (so the last windows are stored). */
  readonly idleCloseMs: number | undefined;
  /** Partitions of network-packets when the app creates it. */
  readonly partitions: number;
  /** Called for every packet (synchronously: keep it cheap). */
  readonly onPacket: (packet: Packet) => void;
  /** Called for every eager statistics update. */
  readonly onStats: (stats: SourceWindowStats) => void;
  readonly statsSinks: readonly SinkConnector<string, SourceWindowStats>[];
  readonly alertSinks: readonly SinkConnector<string, Alert>[];
}

/** The built topology and the monitor's resolved configuration. */
export interface MonitorTopology {
  readonly topology: Topology;
  readonly config: MonitorConfig;
}

/** Builds routing + monitoring with the given taps and sinks. */
export function buildMonitorTopology(options: MonitorTopologyOptions): MonitorTopology {
  const builder = new StreamsBuilder();
  const packets = packetStream(builder, options).peek((_source, packet) => options.onPacket(packet));
  buildPacketRouting(packets, { topics: options.topics.layers });
  const monitor = buildNetworkMonitor(builder, packets, {
    window: { size: options.windowMs, advance: options.advanceMs, grace: options.graceMs },
    ...(options.idleCloseMs !== undefined ? { idleClose: options.idleCloseMs } : {}),
  });
  monitor.stats.forEach((_source, stats) => {
    options.onStats(stats);
  });
  for (const sink of options.statsSinks) monitor.closedStats.to(sink, { name: sink.name });
  monitor.alerts.to(options.topics.alerts);
  for (const sink of options.alertSinks) monitor.alerts.to(sink, { name: sink.name });
  return { topology: builder.build(), config: monitor.config };
}

function packetStream(builder: StreamsBuilder, options: MonitorTopologyOptions): KStream<string, Packet> {
  const { input, partitions } = options;
  const topic = options.topics.packets;
  if (input === undefined) return builder.stream<string, Packet>(topic, { partitions });
  const source =
    input.kind === 'pcap'
      ? tsharkSource({ file: input.file, name: 'capture' })
      : tsharkSource({ interface: input.name, name: 'capture' });
  return builder.stream(source, { topic, partitions });
}
