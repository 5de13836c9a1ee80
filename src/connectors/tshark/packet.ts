/**
 * The packet model: one captured frame as tshark dissected it, reduced to the fields network
 * monitoring needs, plus the raw EK layers for everything else.
 *
 * Every property is always present (possibly `undefined`), so all packets share one object shape:
 * that keeps the hot path monomorphic and makes columnar sinks (ADX, DuckDB) straightforward.
 */

/** The layer names the default routing knows, from application protocols down to "other". */
export type DefaultPacketLayer = 'dns' | 'http' | 'tls' | 'tcp' | 'udp' | 'icmp' | 'arp' | 'other';

/**
 * One captured frame.
 *
 * Repeated fields: when tshark reports a field more than once in a frame (IP-in-IP tunnels, several
 * DNS questions, the original datagram quoted inside an ICMP error), the model takes the **first**
 * occurrence, i.e. the outermost header and the first question. Protocols that appear after an
 * ICMP/ICMPv6 header belong to the quoted datagram, not to this packet: they stay in `protocols`
 * and `layers`, but do not fill ports, DNS, HTTP or TLS fields and do not decide `topLayer`.
 */
export interface Packet {
  /** Capture time in microseconds since the epoch (exact: safe integers reach year 2255). */
  readonly timestampMicros: number;
  /** Capture time in epoch milliseconds: `Math.floor(timestampMicros / 1000)`. */
  readonly timestamp: number;
  /** tshark's frame number: 1-based position in the capture or file. */
  readonly frameNumber: number;
  /** Frame length on the wire, in bytes (`frame.len`, not the possibly truncated captured length). */
  readonly length: number;
  /** Protocol stack from `frame.protocols`, outermost first, e.g. `['eth','ethertype','ip','udp','dns']`. */
  readonly protocols: readonly string[];
  /** The layer the default routing assigns (see layer-routing.ts). */
  readonly topLayer: DefaultPacketLayer;

  /** Source MAC (`eth.src`, or `sll.src.eth` on Linux "any" captures). */
  readonly srcMac: string | undefined;
  /** Destination MAC (`eth.dst`). */
  readonly dstMac: string | undefined;

  /** 4 or 6 when the frame carries IP (the outermost IP header decides); otherwise undefined. */
  readonly ipVersion: 4 | 6 | undefined;
  /** Source address of the outermost IPv4 or IPv6 header. */
  readonly srcIp: string | undefined;
  /** Destination address of the outermost IPv4 or IPv6 header. */
  readonly dstIp: string | undefined;

  /** Source port of the first TCP or UDP header (the outer one in UDP tunnels such as VXLAN). */
  readonly srcPort: number | undefined;
  /** Destination port of the first TCP or UDP header. */
  readonly dstPort: number | undefined;

  /** TCP SYN flag; undefined when the packet is not TCP. */
  readonly tcpSyn: boolean | undefined;
  /** TCP ACK flag. */
  readonly tcpAck: boolean | undefined;
  /** TCP FIN flag. */
  readonly tcpFin: boolean | undefined;
  /** TCP RST flag. */
  readonly tcpRst: boolean | undefined;
  /** TCP PSH flag. */
  readonly tcpPsh: boolean | undefined;
  /** Round-trip time of the segment this one acknowledges (`tcp.analysis.ack_rtt`), in ms. */
  readonly tcpAckRttMs: number | undefined;

  /** ICMP or ICMPv6 type (`ipVersion` or `protocols` tell which); e.g. 8 echo request, 128 ICMPv6 echo request. */
  readonly icmpType: number | undefined;
  /** ICMP or ICMPv6 code. */
  readonly icmpCode: number | undefined;

  /** ARP operation: 1 request, 2 reply. */
  readonly arpOperation: number | undefined;
  /** ARP sender protocol (IPv4) address. */
  readonly arpSenderIp: string | undefined;
  /** ARP target protocol (IPv4) address. */
  readonly arpTargetIp: string | undefined;

  /** Name of the first DNS question. */
  readonly dnsQueryName: string | undefined;
  /** Record type of the first DNS question (1 A, 28 AAAA, ...). */
  readonly dnsQueryType: number | undefined;
  /** DNS response code (0 NOERROR, 3 NXDOMAIN, ...); undefined on queries. */
  readonly dnsRcode: number | undefined;
  /** True on DNS responses, false on queries. */
  readonly dnsIsResponse: boolean | undefined;
  /** Time from the matching query to this response (`dns.time`), in ms. */
  readonly dnsResponseTimeMs: number | undefined;

  /** HTTP Host header (requests). */
  readonly httpHost: string | undefined;
  /** HTTP request method (requests). */
  readonly httpMethod: string | undefined;
  /** HTTP status code (responses). */
  readonly httpStatus: number | undefined;
  /** Time from the matching request to this response (`http.time`), in ms. */
  readonly httpResponseTimeMs: number | undefined;

  /** Server name from the TLS ClientHello SNI extension. */
  readonly tlsServerName: string | undefined;

  /**
   * The EK `layers` object exactly as tshark wrote it, for anything the model does not lift out.
   * With `fields: 'all'` it is nested per protocol (`layers.tcp.tcp_tcp_window_size`); with the
   * default `fields: 'model'` it is flat, one array per requested field (`layers.tcp_window_size`).
   * In "model" mode it is parsed from the EK line on first use (lazy-layers.ts): it reads, spreads
   * and serializes like a plain object, but cannot be passed to `structuredClone` as it is.
   */
  readonly layers: Readonly<Record<string, unknown>>;
}

/** The default record key: source IP, or source MAC for frames without IP (ARP), or '' if neither. */
export function defaultPacketKey(packet: Packet): string {
  return packet.srcIp ?? packet.srcMac ?? '';
}
