/**
 * The network monitor's shared vocabulary: the per-source window statistics, the alerts the
 * detectors raise, and the live snapshot the terminal view, the metrics endpoint and the dashboard
 * read. Every part of examples/network-monitor/ builds against these types.
 */

/** The detectors the monitor ships with. */
export type DetectorName =
  | 'packet-rate' // static threshold: packets per window (source write-up: count > 1000)
  | 'slow-response' // static threshold: average response time per window (source write-up: > 5000 ms)
  | 'port-scan' // many distinct destination ports from one source
  | 'syn-flood' // many SYNs that get no SYN-ACK back
  | 'dns-nxdomain' // a burst of NXDOMAIN answers to one source
  | 'traffic-spike'; // traffic far above the source's own adaptive baseline

/** How bad an alert is (Alertmanager's conventional label values). */
export type Severity = 'info' | 'warning' | 'critical';

/**
 * Statistics of one source IP (or MAC, for frames without IP) in one hopping window.
 * Times are epoch milliseconds; `windowEnd` is exclusive.
 *
 * Attribution: every figure belongs to the packet's source (the host that sent it), including
 * response times (a DNS/HTTP response's time, a segment's ack RTT, belong to the responder that sent
 * that packet: a slow server shows up as a slow source), except the two `...Received` figures, which
 * belong to the packet's destination: `tcpSynAckReceived` and `dnsNxdomain`.
 */
export interface SourceWindowStats {
  readonly source: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Frames sent by the source. */
  readonly packets: number;
  /** Bytes on the wire sent by the source (`frame.len`). */
  readonly bytes: number;
  /**
   * Distinct service-side destination ports the source sent to (exact up to 1000, then HyperLogLog):
   * ports of TCP segments without ACK (connection attempts, probes) and, for other packets with
   * ports, destination ports below the source port. Replies to clients' ephemeral ports do not
   * count, so a busy server does not look like a port scanner.
   */
  readonly distinctDstPorts: number;
  /** Distinct destination hosts (IPs) the source sent to. */
  readonly distinctDstHosts: number;
  /** TCP segments with SYN and without ACK sent by the source (connection attempts). */
  readonly tcpSyn: number;
  /** TCP segments with SYN and ACK sent by the source (it accepted a connection). */
  readonly tcpSynAck: number;
  /** SYN-ACKs the source received (its attempts that were answered). SYN flood: tcpSyn ≫ this. */
  readonly tcpSynAckReceived: number;
  /** Mean of every response time seen for the source (TCP ack RTT, DNS and HTTP response times), ms; undefined when none. */
  readonly avgResponseMs: number | undefined;
  /** Largest response time seen for the source, ms; undefined when none. */
  readonly maxResponseMs: number | undefined;
  /** DNS responses with rcode 3 (NXDOMAIN) sent to the source. */
  readonly dnsNxdomain: number;
}

/** One alert, as every alert sink receives it. */
export interface Alert {
  /** Stable identity of the condition: `${detector}:${source}:${windowStart}`. Used to deduplicate. */
  readonly id: string;
  readonly detector: DetectorName;
  readonly severity: Severity;
  /** The source IP (or MAC) the alert is about. */
  readonly source: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Event time (epoch ms) of the record that made the detector fire. */
  readonly firedAt: number;
  /** One human sentence: what was seen, against which threshold or baseline. */
  readonly summary: string;
  /** The figures that made the detector fire (observed value, threshold or baseline, z-score...). */
  readonly evidence: Readonly<Record<string, number | string>>;
}

/** Packets and bytes of one protocol layer (routing's topLayer) over the last second of event time. */
export interface ProtocolRate {
  readonly layer: string;
  readonly packetsPerSecond: number;
  readonly bytesPerSecond: number;
}

/** What the live views (terminal, dashboard, metrics) read, refreshed at least once a second. */
export interface MonitorSnapshot {
  /** Event time the monitor has reached (epoch ms). */
  readonly streamTime: number;
  /** Packets read so far, and the capture's total when it is known (pcap replay). */
  readonly packetsRead: number;
  readonly packetsTotal: number | undefined;
  /** Packets per top layer since the start. */
  readonly packetsByLayer: Readonly<Record<string, number>>;
  /** Current per-protocol rates. */
  readonly rates: readonly ProtocolRate[];
  /** The busiest sources in the latest window, by bytes, at most `topN` of them. */
  readonly topTalkers: readonly SourceWindowStats[];
  /** The newest alerts first, at most 100. */
  readonly recentAlerts: readonly Alert[];
  /** Alerts raised since the start, per detector. */
  readonly alertsByDetector: Readonly<Partial<Record<DetectorName, number>>>;
  /** Pipeline health. */
  readonly pipeline: {
    readonly recordsPerSecond: number;
    readonly consumerLag: number;
    readonly processLatencyMs: number;
    readonly deadLetters: number;
  };
}
