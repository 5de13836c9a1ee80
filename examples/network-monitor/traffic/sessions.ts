/**
 * Ordinary exchanges between a client and a server, each returned as its packets (not yet in
 * global time order): TCP with a handshake, data and a close; HTTP; TLS ClientHello with SNI; DNS;
 * plain UDP; ICMP echo; ARP; IPv6 UDP and ICMPv6. Latencies come from the server's profile with
 * jitter, so tshark's ack RTT, dns.time and http.time spread from milliseconds to a few hundred.
 */
import type { Host, Network, Server } from './hosts.js';
import type { PcapPacket } from './pcap/file.js';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ethernet,
  IPPROTO_ICMP,
  IPPROTO_UDP,
  icmpEcho,
  ipv4,
  udp,
} from './pcap/frames.js';
import {
  ARP_REPLY,
  ARP_REQUEST,
  arp,
  DNS_RCODE_NOERROR,
  DNS_RCODE_NXDOMAIN,
  DNS_TYPE_A,
  dns,
  httpRequest,
  httpResponse,
  icmpv6EchoOverIpv6,
  tlsClientHello,
  udpOverIpv6,
} from './pcap/protocols.js';
import { TcpConversation } from './pcap/tcp-conversation.js';
import type { SeededRandom } from './random.js';

/** The kinds of ordinary exchange. */
export type SessionKind = 'dns' | 'http' | 'tls' | 'tcp' | 'udp' | 'icmp' | 'arp' | 'ipv6';

/** How often each kind is picked (IPv6 only for dual-stack clients; others fall back to UDP). */
export const SESSION_MIX: ReadonlyArray<readonly [SessionKind, number]> = [
  ['dns', 0.25],
  ['http', 0.15],
  ['tls', 0.22],
  ['tcp', 0.12],
  ['udp', 0.08],
  ['icmp', 0.06],
  ['arp', 0.04],
  ['ipv6', 0.08],
];

/** Mean packets of one exchange over SESSION_MIX (measured from the builders, rounded): sizes session rates. */
export const MEAN_PACKETS_PER_SESSION = 5.4;

/** Ports of the plain TCP application servers (no tshark dissector claims them). */
const APP_PORTS = [9000, 9100] as const;
/** Port of the plain UDP services. */
const UDP_PORT = 6000;
/** An occasional typo or stale name: a lone NXDOMAIN is normal. */
const NXDOMAIN_PROBABILITY = 0.03;
const DOMAINS = ['example.com', 'example.org', 'example.net', 'corp.example', 'cdn.example'];
const HOST_NAMES = ['www', 'api', 'mail', 'static', 'login', 'img', 'docs', 'git', 'ci', 'chat'];

/** Builds one exchange's packets, advancing its own clock. */
class Exchange {
  readonly packets: PcapPacket[] = [];
  private micros: number;

  constructor(
    readonly rng: SeededRandom,
    startMicros: number,
  ) {
    this.micros = startMicros;
  }

  /** Moves the clock `ms` (with ±30 % jitter) and returns the new time. */
  after(ms: number): number {
    this.micros += Math.max(1, Math.round(ms * 1000 * this.rng.between(0.7, 1.3)));
    return this.micros;
  }

  add(packet: PcapPacket): void {
    this.packets.push(packet);
  }

  frame(frame: Buffer): void {
    this.packets.push({ timestampMicros: this.micros, frame });
  }
}

function ephemeralPort(rng: SeededRandom): number {
  return rng.int(32768, 60999);
}

function tcpConversation(rng: SeededRandom, client: Host, server: Host, port: number): TcpConversation {
  return new TcpConversation(
    { mac: client.mac, ip: client.ip, port: ephemeralPort(rng) },
    { mac: server.mac, ip: server.ip, port },
    rng.int(1, 2 ** 31),
    rng.int(1, 2 ** 31),
  );
}

/** SYN, SYN-ACK one RTT later, the client's ACK right after. */
function handshake(x: Exchange, c: TcpConversation, server: Server): void {
  x.add(c.syn(x.after(0)));
  x.add(c.synAck(x.after(server.rttMs)));
  x.add(c.ack(true, x.after(0.2)));
}

/** Client FIN, server FIN-ACK one RTT later, client ACK. */
function close(x: Exchange, c: TcpConversation, server: Server): void {
  x.add(c.fin(true, x.after(1)));
  x.add(c.fin(false, x.after(server.rttMs)));
  x.add(c.ack(true, x.after(0.2)));
}

function httpSession(x: Exchange, client: Host, server: Server): void {
  const c = tcpConversation(x.rng, client, server, 80);
  handshake(x, c, server);
  x.add(
    c.data(
      true,
      x.after(0.5),
      httpRequest('GET', `/${x.rng.pick(HOST_NAMES)}/${x.rng.int(1, 999)}`, 'www.example.com'),
    ),
  );
  const status = x.rng.chance(0.05) ? 404 : 200;
  x.add(
    c.data(
      false,
      x.after(server.responseMs),
      httpResponse(status, status === 200 ? 'OK' : 'Not Found', 'x'.repeat(x.rng.int(20, 400))),
    ),
  );
  x.add(c.ack(true, x.after(0.3)));
  close(x, c, server);
}

function tlsSession(x: Exchange, client: Host, server: Server): void {
  const c = tcpConversation(x.rng, client, server, 443);
  handshake(x, c, server);
  x.add(c.data(true, x.after(0.5), tlsClientHello(`${x.rng.pick(HOST_NAMES)}.${x.rng.pick(DOMAINS)}`)));
  x.add(c.ack(false, x.after(server.rttMs)));
  close(x, c, server);
}

function tcpSession(x: Exchange, client: Host, server: Server): void {
  const c = tcpConversation(x.rng, client, server, x.rng.pick(APP_PORTS));
  handshake(x, c, server);
  const exchanges = x.rng.int(1, 4);
  for (let i = 0; i < exchanges; i++) {
    x.add(c.data(true, x.after(x.rng.logUniform(1, 200)), Buffer.alloc(x.rng.int(16, 600), 0x61 + i)));
    x.add(c.data(false, x.after(server.responseMs), Buffer.alloc(x.rng.int(16, 900), 0x41 + i)));
  }
  x.add(c.ack(true, x.after(0.3)));
  close(x, c, server);
}

function dnsSession(x: Exchange, client: Host, resolver: Server): void {
  const id = x.rng.int(0, 0xffff);
  const port = ephemeralPort(x.rng);
  const nx = x.rng.chance(NXDOMAIN_PROBABILITY);
  const name = nx
    ? `${x.rng.pick(HOST_NAMES)}${x.rng.int(100, 999)}.${x.rng.pick(DOMAINS)}`
    : `${x.rng.pick(HOST_NAMES)}.${x.rng.pick(DOMAINS)}`;
  const questions = [{ name, type: DNS_TYPE_A }];
  x.after(0);
  x.frame(udpFrame(client, resolver, port, 53, dns({ id, response: false, questions })));
  x.after(resolver.responseMs);
  const answers = nx ? [] : [`192.0.2.${x.rng.int(1, 254)}`];
  x.frame(
    udpFrame(
      resolver,
      client,
      53,
      port,
      dns({ id, response: true, rcode: nx ? DNS_RCODE_NXDOMAIN : DNS_RCODE_NOERROR, questions, answers }),
    ),
  );
}

function udpSession(x: Exchange, client: Host, server: Server): void {
  const port = ephemeralPort(x.rng);
  x.after(0);
  x.frame(udpFrame(client, server, port, UDP_PORT, Buffer.alloc(x.rng.int(40, 500), 0x55)));
  if (x.rng.chance(0.5)) {
    x.after(server.responseMs);
    x.frame(udpFrame(server, client, UDP_PORT, port, Buffer.alloc(x.rng.int(20, 200), 0x56)));
  }
}

function icmpSession(x: Exchange, client: Host, server: Server): void {
  const id = x.rng.int(1, 0xffff);
  x.after(0);
  x.frame(
    ethernet(
      client.mac,
      server.mac,
      ETHERTYPE_IPV4,
      ipv4(client.ip, server.ip, IPPROTO_ICMP, icmpEcho(8, id, 1)),
    ),
  );
  x.after(server.rttMs);
  x.frame(
    ethernet(
      server.mac,
      client.mac,
      ETHERTYPE_IPV4,
      ipv4(server.ip, client.ip, IPPROTO_ICMP, icmpEcho(0, id, 1)),
    ),
  );
}

function arpSession(x: Exchange, client: Host, gateway: Host): void {
  x.after(0);
  x.frame(
    ethernet(
      client.mac,
      'ff:ff:ff:ff:ff:ff',
      ETHERTYPE_ARP,
      arp(ARP_REQUEST, client.mac, client.ip, '00:00:00:00:00:00', gateway.ip),
    ),
  );
  x.after(0.3);
  x.frame(
    ethernet(
      gateway.mac,
      client.mac,
      ETHERTYPE_ARP,
      arp(ARP_REPLY, gateway.mac, gateway.ip, client.mac, client.ip),
    ),
  );
}

function ipv6Session(x: Exchange, client: Host & { ip6: string }, server: Server & { ip6: string }): void {
  x.after(0);
  if (x.rng.chance(0.5)) {
    const id = x.rng.int(1, 0xffff);
    x.frame(
      ethernet(
        client.mac,
        server.mac,
        ETHERTYPE_IPV6,
        icmpv6EchoOverIpv6(client.ip6, server.ip6, 128, id, 1),
      ),
    );
    x.after(server.rttMs);
    x.frame(
      ethernet(
        server.mac,
        client.mac,
        ETHERTYPE_IPV6,
        icmpv6EchoOverIpv6(server.ip6, client.ip6, 129, id, 1),
      ),
    );
  } else {
    const port = ephemeralPort(x.rng);
    x.frame(
      ethernet(
        client.mac,
        server.mac,
        ETHERTYPE_IPV6,
        udpOverIpv6(client.ip6, server.ip6, port, UDP_PORT, Buffer.alloc(x.rng.int(40, 300), 0x66)),
      ),
    );
  }
}

/** A UDP datagram over IPv4 in an Ethernet frame. */
export function udpFrame(from: Host, to: Host, srcPort: number, dstPort: number, payload: Buffer): Buffer {
  return ethernet(
    from.mac,
    to.mac,
    ETHERTYPE_IPV4,
    ipv4(from.ip, to.ip, IPPROTO_UDP, udp(srcPort, dstPort, payload)),
  );
}

/** Picks a kind by SESSION_MIX. */
export function pickSessionKind(rng: SeededRandom): SessionKind {
  let r = rng.next();
  for (const [kind, weight] of SESSION_MIX) {
    r -= weight;
    if (r < 0) return kind;
  }
  return 'dns';
}

/** One ordinary exchange of `kind` started by `client` at `startMicros`, against a server of the network. */
export function ordinarySession(
  rng: SeededRandom,
  network: Network,
  client: Host,
  kind: SessionKind,
  startMicros: number,
): PcapPacket[] {
  const x = new Exchange(rng, startMicros);
  switch (kind) {
    case 'dns':
      dnsSession(x, client, rng.pick(network.resolvers));
      break;
    case 'http':
      httpSession(x, client, rng.pick(network.web));
      break;
    case 'tls':
      tlsSession(x, client, rng.pick(network.tls));
      break;
    case 'tcp':
      tcpSession(x, client, rng.pick(network.app));
      break;
    case 'icmp':
      icmpSession(x, client, rng.pick([...network.app, ...network.web]));
      break;
    case 'arp':
      arpSession(x, client, network.gateway);
      break;
    case 'ipv6': {
      const server = rng.pick(network.v6);
      if (client.ip6 !== undefined && server.ip6 !== undefined)
        ipv6Session(x, { ...client, ip6: client.ip6 }, { ...server, ip6: server.ip6 });
      else udpSession(x, client, rng.pick(network.udp));
      break;
    }
    default:
      udpSession(x, client, rng.pick(network.udp));
  }
  return x.packets;
}

/** An HTTP exchange with a server that answers everything late (handshake, response and close each `delayMs` ± jitter). */
export function slowHttpSession(
  rng: SeededRandom,
  client: Host,
  server: Host,
  delayMs: number,
  startMicros: number,
): PcapPacket[] {
  const x = new Exchange(rng, startMicros);
  const slow: Server = { ...server, rttMs: delayMs, responseMs: delayMs };
  const c = tcpConversation(rng, client, server, 80);
  handshake(x, c, slow);
  x.add(c.data(true, x.after(0.5), httpRequest('GET', '/report', 'slow.internal')));
  x.add(c.data(false, x.after(delayMs), httpResponse(200, 'OK', 'finally')));
  x.add(c.ack(true, x.after(0.3)));
  close(x, c, slow);
  return x.packets;
}
