/**
 * Synthetic traffic for benches and load tests: a repeating mix of short exchanges (TCP with data,
 * DNS, plain UDP, ICMP echo, HTTP, TLS ClientHello, ARP) between many distinct clients, so tshark's
 * conversation tracking sees many flows instead of one replayed a thousand times.
 */
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ethernet,
  IPPROTO_ICMP,
  IPPROTO_UDP,
  icmpEcho,
  ipv4,
  type PcapPacket,
  udp,
} from './pcap.js';
import {
  ARP_REPLY,
  ARP_REQUEST,
  arp,
  DNS_TYPE_A,
  dns,
  httpRequest,
  httpResponse,
  tlsClientHello,
} from './pcap-protocols.js';
import { TcpConversation } from './pcap-tcp.js';

const SERVER = { mac: '02:00:00:00:aa:01', ip: '10.255.0.1' };

/** `count` frames of mixed traffic starting at `t0Micros`, `gapMicros` apart. */
export function syntheticTraffic(
  count: number,
  t0Micros = 1_700_000_000_000_000,
  gapMicros = 100,
): PcapPacket[] {
  return [...syntheticTrafficStream(count, t0Micros, gapMicros)];
}

/** The same traffic as `syntheticTraffic`, generated lazily (for captures too large to hold). */
export function* syntheticTrafficStream(
  count: number,
  t0Micros = 1_700_000_000_000_000,
  gapMicros = 100,
): Generator<PcapPacket> {
  let emitted = 0;
  for (const exchange of exchanges(t0Micros, gapMicros)) {
    for (const packet of exchange) {
      if (emitted++ === count) return;
      yield packet;
    }
  }
}

/** Endless short exchanges, one client each. */
function* exchanges(t0Micros: number, gapMicros: number): Generator<PcapPacket[]> {
  let t = t0Micros;
  const next = (): number => {
    t += gapMicros;
    return t;
  };
  for (let i = 0; ; i++) {
    const out: PcapPacket[] = [];
    const client = {
      mac: `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) | 1}`,
    };
    const port = 20_000 + (i % 40_000);
    const udpFrame = (
      from: typeof client,
      to: typeof client,
      sport: number,
      dport: number,
      payload: Buffer,
    ) =>
      ethernet(
        from.mac,
        to.mac,
        ETHERTYPE_IPV4,
        ipv4(from.ip, to.ip, IPPROTO_UDP, udp(sport, dport, payload)),
      );
    switch (i % 7) {
      case 0: {
        const c = new TcpConversation({ ...client, port }, { ...SERVER, port: 9000 });
        out.push(c.syn(next()), c.synAck(next()), c.ack(true, next()));
        out.push(c.data(true, next(), Buffer.alloc(200, i & 255)), c.ack(false, next()));
        break;
      }
      case 1: {
        const name = `host${i % 5000}.example.com`;
        const id = i & 0xffff;
        out.push({
          timestampMicros: next(),
          frame: udpFrame(
            client,
            SERVER,
            port,
            53,
            dns({ id, response: false, questions: [{ name, type: DNS_TYPE_A }] }),
          ),
        });
        out.push({
          timestampMicros: next(),
          frame: udpFrame(
            SERVER,
            client,
            53,
            port,
            dns({ id, response: true, questions: [{ name, type: DNS_TYPE_A }], answers: ['192.0.2.1'] }),
          ),
        });
        break;
      }
      case 2:
        out.push({
          timestampMicros: next(),
          frame: udpFrame(client, SERVER, port, 6000, Buffer.alloc(120, 1)),
        });
        break;
      case 3:
        out.push({
          timestampMicros: next(),
          frame: ethernet(
            client.mac,
            SERVER.mac,
            ETHERTYPE_IPV4,
            ipv4(client.ip, SERVER.ip, IPPROTO_ICMP, icmpEcho(8, i & 0xffff, 1)),
          ),
        });
        out.push({
          timestampMicros: next(),
          frame: ethernet(
            SERVER.mac,
            client.mac,
            ETHERTYPE_IPV4,
            ipv4(SERVER.ip, client.ip, IPPROTO_ICMP, icmpEcho(0, i & 0xffff, 1)),
          ),
        });
        break;
      case 4: {
        const c = new TcpConversation({ ...client, port }, { ...SERVER, port: 80 });
        out.push(c.syn(next()), c.synAck(next()), c.ack(true, next()));
        out.push(c.data(true, next(), httpRequest('GET', `/item/${i}`, 'shop.example')));
        out.push(c.data(false, next(), httpResponse(200, 'OK', 'fine')));
        break;
      }
      case 5: {
        const c = new TcpConversation({ ...client, port }, { ...SERVER, port: 443 });
        out.push(c.syn(next()), c.synAck(next()), c.ack(true, next()));
        out.push(c.data(true, next(), tlsClientHello(`api${i % 100}.example.org`)));
        break;
      }
      default:
        out.push({
          timestampMicros: next(),
          frame: ethernet(
            client.mac,
            'ff:ff:ff:ff:ff:ff',
            ETHERTYPE_ARP,
            arp(ARP_REQUEST, client.mac, client.ip, '00:00:00:00:00:00', SERVER.ip),
          ),
        });
        out.push({
          timestampMicros: next(),
          frame: ethernet(
            SERVER.mac,
            client.mac,
            ETHERTYPE_ARP,
            arp(ARP_REPLY, SERVER.mac, SERVER.ip, client.mac, client.ip),
          ),
        });
    }
    yield out;
  }
}
