/**
 * The address plan of generated traffic: normal clients (some dual-stack), the servers they use,
 * and the dedicated addresses of injected anomalies. MACs derive from the IPv4 address, so every
 * host is recognisable in a capture.
 */

/** One host on the generated network. */
export interface Host {
  readonly ip: string;
  readonly mac: string;
  /** An IPv6 address for dual-stack hosts. */
  readonly ip6?: string;
}

/** A server with its own latency: base ack RTT and application response time, ms. */
export interface Server extends Host {
  readonly rttMs: number;
  readonly responseMs: number;
}

/** Every host of a generated capture. */
export interface Network {
  readonly gateway: Host;
  readonly clients: readonly Host[];
  readonly web: readonly Server[];
  readonly tls: readonly Server[];
  readonly app: readonly Server[];
  readonly resolvers: readonly Server[];
  readonly udp: readonly Server[];
  readonly v6: readonly Server[];
}

/** A host at `ip` (dotted IPv4), MAC `02:00:` + its four octets. */
export function hostAt(ip: string, ip6?: string): Host {
  const mac = `02:00:${ip
    .split('.')
    .map((octet) => Number(octet).toString(16).padStart(2, '0'))
    .join(':')}`;
  return ip6 === undefined ? { ip, mac } : { ip, mac, ip6 };
}

/** The n-th normal client (0-based): 10.1.x.y; every third one dual-stack. */
export function clientHost(n: number): Host {
  const ip = `10.1.${Math.floor(n / 200)}.${(n % 200) + 20}`;
  return hostAt(ip, n % 3 === 0 ? `2001:db8:1::${(n + 1).toString(16)}` : undefined);
}

/** The dedicated source address of the n-th anomaly of a kind (kind index 1..): 10.66.kind.n. */
export function anomalySource(kindIndex: number, n: number): Host {
  return hostAt(`10.66.${kindIndex}.${n + 10}`);
}

/** A dedicated target / server of anomalies: 10.2.0.x. */
export function anomalyTarget(x: number): Host {
  return hostAt(`10.2.0.${x}`);
}

/**
 * The servers for a total rate of `packetsPerSecond`: enough of each kind that no ordinary server
 * sends anywhere near a static threshold's worth of packets in a window.
 */
export function serverCounts(
  packetsPerSecond: number,
): Record<Exclude<keyof Network, 'gateway' | 'clients'>, number> {
  return {
    web: Math.max(6, Math.ceil(packetsPerSecond / 8)),
    tls: Math.max(6, Math.ceil(packetsPerSecond / 8)),
    app: Math.max(4, Math.ceil(packetsPerSecond / 12)),
    resolvers: Math.max(3, Math.ceil(packetsPerSecond / 25)),
    udp: Math.max(2, Math.ceil(packetsPerSecond / 30)),
    v6: Math.max(2, Math.ceil(packetsPerSecond / 30)),
  };
}

/** The network of a capture: `normalHosts` clients and servers sized for `packetsPerSecond`. */
export function buildNetwork(
  normalHosts: number,
  packetsPerSecond: number,
  rng: { logUniform(min: number, max: number): number },
): Network {
  const counts = serverCounts(packetsPerSecond);
  const servers = (
    count: number,
    ip: (i: number) => string,
    rtt: [number, number],
    response: [number, number],
    v6 = false,
  ) =>
    Array.from({ length: count }, (_, i) => ({
      ...hostAt(ip(i), v6 ? `2001:db8:ff::${(i + 1).toString(16)}` : undefined),
      rttMs: rng.logUniform(rtt[0], rtt[1]),
      responseMs: rng.logUniform(response[0], response[1]),
    }));
  return {
    gateway: hostAt('10.1.0.1'),
    clients: Array.from({ length: normalHosts }, (_, i) => clientHost(i)),
    web: servers(counts.web, (i) => `198.51.100.${i + 10}`, [5, 180], [15, 600]),
    tls: servers(counts.tls, (i) => `203.0.113.${i + 10}`, [5, 220], [10, 300]),
    app: servers(counts.app, (i) => `10.0.1.${i + 10}`, [0.3, 20], [2, 80]),
    resolvers: servers(counts.resolvers, (i) => `10.0.0.${i + 53}`, [0.5, 5], [1, 60]),
    udp: servers(counts.udp, (i) => `10.0.2.${i + 10}`, [0.3, 10], [1, 20]),
    v6: servers(counts.v6, (i) => `10.0.3.${i + 10}`, [1, 80], [1, 40], true),
  };
}
