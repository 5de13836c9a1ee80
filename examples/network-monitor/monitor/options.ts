/**
 * The monitor's options: what a user may set (every field optional), the defaults, and the resolved
 * form (numbers in milliseconds, every threshold present) that the topology and detectors read.
 */
import type { DefaultPacketLayer } from '../../../src/connectors/tshark/packet.js';
import type { Duration } from '../../../src/runtime/duration.js';
import type { Severity } from '../types.js';

/** Hopping windows of the per-source statistics. */
export interface WindowOptions {
  /** Window length. Default 5 minutes. */
  readonly size?: Duration;
  /** How far each window starts after the previous one. Default 1 minute. */
  readonly advance?: Duration;
  /** How long a window stays open for out-of-order packets after its end. Default 30 seconds. */
  readonly grace?: Duration;
}

/** `packet-rate`: the source write-up's static threshold on packets per window. */
export interface PacketRateOptions {
  /** Fires when a source sent more than this many packets in one window. Default 1000. */
  readonly maxPackets?: number;
}

/** `slow-response`: the source write-up's static threshold on the average response time. */
export interface SlowResponseOptions {
  /** Fires when a source's average response time in a window is above this (ms). Default 5000. */
  readonly maxAvgResponseMs?: number;
}

/** `port-scan`: many distinct destination (service-side) ports from one source. */
export interface PortScanOptions {
  /** Fires at this many distinct destination ports in one window. Default 30. */
  readonly minDistinctPorts?: number;
}

/** `syn-flood`: many connection attempts that get no SYN-ACK back. */
export interface SynFloodOptions {
  /** Fires at this many SYNs in one window... Default 100. */
  readonly minSyns?: number;
  /** ...when fewer than this share of them were answered by a SYN-ACK. Default 0.2. */
  readonly maxAnsweredRatio?: number;
  /**
   * ...and at least this many SYNs per distinct destination port: a flood hammers a few ports, a
   * port scan (its own detector) touches each port once or twice. Default 4.
   */
  readonly minSynsPerPort?: number;
}

/** `dns-nxdomain`: a burst of NXDOMAIN answers to one source. */
export interface DnsNxdomainOptions {
  /** Fires at this many NXDOMAIN answers received in one window. Default 10. */
  readonly minNxdomain?: number;
}

/**
 * `traffic-spike`: packets far above the source's own adaptive baseline (see baseline.ts). An open
 * window is compared pro rata: after `elapsed` of it, the baseline expects `mean × elapsed / size`.
 */
export interface TrafficSpikeOptions {
  /** Weight of the newest closed window in the EWMA mean and variance (0..1]. Default 0.2. */
  readonly alpha?: number;
  /** Closed windows a source's baseline must have learnt before it may fire. Default 3. */
  readonly warmupWindows?: number;
  /** Fires when packets are at least this many standard deviations above the expectation... Default 4. */
  readonly minZScore?: number;
  /** ...and at least this many times the expectation... Default 6. */
  readonly minRatio?: number;
  /** ...and at least this many packets per window, pro rata (quiet hosts do not alert on tiny changes). Default 500. */
  readonly minPackets?: number;
  /** A source's baseline is forgotten after this long without a closed window. Default 1 day. */
  readonly forgetAfter?: Duration;
}

/** Deduplication and rate limiting of alerts. */
export interface AlertGateOptions {
  /**
   * At most one alert per (source, detector) per this much event time; a higher severity passes
   * anyway. Default: the window advance.
   */
  readonly cooldown?: Duration;
}

/** Everything the monitor can be told; every field is optional. */
export interface MonitorOptions {
  readonly window?: WindowOptions;
  /** Topic per top protocol layer for the routing topology. Default `packets.<layer>`. */
  readonly topics?: Partial<Record<DefaultPacketLayer, string>>;
  readonly packetRate?: PacketRateOptions;
  readonly slowResponse?: SlowResponseOptions;
  readonly portScan?: PortScanOptions;
  readonly synFlood?: SynFloodOptions;
  readonly dnsNxdomain?: DnsNxdomainOptions;
  readonly trafficSpike?: TrafficSpikeOptions;
  readonly alertGate?: AlertGateOptions;
  /** An alert is `critical` when its figure is this many times its threshold, else `warning`. Default 2. */
  readonly criticalFactor?: number;
  /**
   * Close the windows of a partition that saw no packet for this long (wall clock), so the final
   * statistics of the last windows are written when traffic stops. Default off.
   */
  readonly idleClose?: Duration;
  /** Prefix of the monitor's node and store names (two monitors in one topology need two). Default "netmon". */
  readonly name?: string;
  /** Backend of the monitor's state stores. Default 'memory'. */
  readonly store?: 'memory' | 'persistent';
}

/** The options with every default filled in and every duration in milliseconds. */
export interface MonitorConfig {
  readonly window: { readonly sizeMs: number; readonly advanceMs: number; readonly graceMs: number };
  readonly topics: Readonly<Record<DefaultPacketLayer, string>>;
  readonly packetRate: Required<PacketRateOptions>;
  readonly slowResponse: Required<SlowResponseOptions>;
  readonly portScan: Required<PortScanOptions>;
  readonly synFlood: Required<SynFloodOptions>;
  readonly dnsNxdomain: Required<DnsNxdomainOptions>;
  readonly trafficSpike: Required<Omit<TrafficSpikeOptions, 'forgetAfter'>> & {
    readonly forgetAfterMs: number;
  };
  readonly alertGate: { readonly cooldownMs: number };
  readonly criticalFactor: number;
  readonly idleCloseMs: number | undefined;
  readonly name: string;
  readonly store: 'memory' | 'persistent';
}

/** The severity of a figure against its threshold: critical at `criticalFactor` times it, else warning. */
export function severityOf(
  ratioToThreshold: number,
  config: Pick<MonitorConfig, 'criticalFactor'>,
): Severity {
  return ratioToThreshold >= config.criticalFactor ? 'critical' : 'warning';
}
