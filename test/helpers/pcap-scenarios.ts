/**
 * Ready-made captures for the tshark tests: one frame (or exchange) per protocol the Packet model
 * covers, with every address, port and timing a named constant so tests can check each field.
 */
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
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
  DNS_RCODE_NOERROR,
  DNS_RCODE_NXDOMAIN,
  DNS_TYPE_A,
  DNS_TYPE_AAAA,
  dns,
  httpRequest,
  httpResponse,
  icmpUnreachable,
  icmpv6EchoOverIpv6,
  tlsClientHello,
  udpOverIpv6,
} from './pcap-protocols.js';
import { TcpConversation } from './pcap-tcp.js';

/** Hosts of the mixed capture. */
export const HOSTS = {
  client: { mac: '02:00:00:00:00:01', ip: '10.0.0.1' },
  server: { mac: '02:00:00:00:00:02', ip: '10.0.0.2' },
  resolver: { mac: '02:00:00:00:00:53', ip: '10.0.0.53' },
  web: { mac: '02:00:00:00:00:80', ip: '10.0.0.80' },
  tls: { mac: '02:00:00:00:01:bb', ip: '10.0.1.187' },
  v6a: { mac: '02:00:00:00:06:01', ip: '2001:db8::1' },
  v6b: { mac: '02:00:00:00:06:02', ip: '2001:db8::2' },
  broadcast: '00:00:00:00:00:00',
  ethBroadcast: 'ff:ff:ff:ff:ff:ff',
} as const;

/** Capture start used by the mixed capture: 2023-11-14T22:13:20.123456Z. */
export const MIXED_T0 = 1_700_000_000_123_456;

/**
 * Offsets (µs from MIXED_T0) and identities of each frame in `mixedCapture`, in capture order.
 * Index i of MIXED_FRAMES describes frame i+1 as tshark numbers it.
 */
export const MIXED_FRAMES = [
  { name: 'tcp-syn', offset: 0 },
  { name: 'tcp-synack', offset: 1_500 }, // ack RTT of the SYN: 1.5 ms
  { name: 'tcp-ack', offset: 1_700 },
  { name: 'tcp-data', offset: 2_000 },
  { name: 'tcp-data-ack', offset: 4_500 }, // ack RTT of the data: 2.5 ms
  { name: 'tcp-rst', offset: 5_000 },
  { name: 'udp', offset: 10_000 },
  { name: 'icmp-request', offset: 20_000 },
  { name: 'icmp-reply', offset: 20_300 },
  { name: 'arp-request', offset: 30_000 },
  { name: 'arp-reply', offset: 30_100 },
  { name: 'dns-query', offset: 40_000 },
  { name: 'dns-response', offset: 42_000 }, // dns.time 2 ms
  { name: 'dns-nx-query', offset: 43_000 },
  { name: 'dns-nx-response', offset: 46_500 }, // dns.time 3.5 ms, NXDOMAIN
  { name: 'http-syn', offset: 50_000 },
  { name: 'http-synack', offset: 50_400 },
  { name: 'http-ack', offset: 50_500 },
  { name: 'http-request', offset: 51_000 },
  { name: 'http-response', offset: 58_000 }, // http.time 7 ms
  { name: 'tls-syn', offset: 60_000 },
  { name: 'tls-synack', offset: 60_200 },
  { name: 'tls-ack', offset: 60_300 },
  { name: 'tls-client-hello', offset: 61_000 },
  { name: 'udp6', offset: 70_000 },
  { name: 'icmp6-request', offset: 80_000 },
  { name: 'icmp6-reply', offset: 80_250 },
  { name: 'icmp-unreachable', offset: 90_000 }, // quotes a DNS query: counts as icmp, not dns
] as const;

/** Name of a frame in the mixed capture. */
export type MixedFrameName = (typeof MIXED_FRAMES)[number]['name'];

/** Protocol values written into the mixed capture. */
export const MIXED_VALUES = {
  tcpClientPort: 40_001,
  tcpServerPort: 9_000,
  udpSrcPort: 5_000,
  udpDstPort: 6_000,
  icmpId: 7,
  dnsName: 'example.com',
  dnsAnswer: '93.184.216.34',
  dnsNxName: 'nope.invalid',
  httpHost: 'web.example',
  httpPath: '/status',
  httpStatus: 200,
  tlsServerName: 'secure.example.org',
  udp6SrcPort: 5_000,
  udp6DstPort: 6_000,
  unreachableCode: 3, // port unreachable
} as const;

function at(name: MixedFrameName): number {
  const frame = MIXED_FRAMES.find((f) => f.name === name);
  if (!frame) throw new Error(`unknown frame ${name}`);
  return MIXED_T0 + frame.offset;
}

/** A capture with TCP, UDP, ICMP, ARP, DNS (incl. NXDOMAIN), HTTP, TLS SNI, UDP/IPv6 and ICMPv6 frames. */
export function mixedCapture(): PcapPacket[] {
  const { client, server, resolver, web, tls, v6a, v6b } = HOSTS;
  const v = MIXED_VALUES;
  const plain = new TcpConversation(
    { ...client, port: v.tcpClientPort },
    { ...server, port: v.tcpServerPort },
  );
  const httpConversation = new TcpConversation({ ...client, port: 40_080 }, { ...web, port: 80 });
  const tlsConversation = new TcpConversation({ ...client, port: 40_443 }, { ...tls, port: 443 });
  const udpFrame = (
    from: { mac: string; ip: string },
    to: { mac: string; ip: string },
    sport: number,
    dport: number,
    payload: Buffer,
  ): Buffer =>
    ethernet(from.mac, to.mac, ETHERTYPE_IPV4, ipv4(from.ip, to.ip, IPPROTO_UDP, udp(sport, dport, payload)));

  return [
    plain.syn(at('tcp-syn')),
    plain.synAck(at('tcp-synack')),
    plain.ack(true, at('tcp-ack')),
    plain.data(true, at('tcp-data'), Buffer.from('ping')),
    plain.ack(false, at('tcp-data-ack')),
    plain.segment(true, at('tcp-rst'), 0x04 | 0x10),
    {
      timestampMicros: at('udp'),
      frame: udpFrame(client, server, v.udpSrcPort, v.udpDstPort, Buffer.from('hello udp')),
    },
    {
      timestampMicros: at('icmp-request'),
      frame: ethernet(
        client.mac,
        server.mac,
        ETHERTYPE_IPV4,
        ipv4(client.ip, server.ip, IPPROTO_ICMP, icmpEcho(8, v.icmpId, 1)),
      ),
    },
    {
      timestampMicros: at('icmp-reply'),
      frame: ethernet(
        server.mac,
        client.mac,
        ETHERTYPE_IPV4,
        ipv4(server.ip, client.ip, IPPROTO_ICMP, icmpEcho(0, v.icmpId, 1)),
      ),
    },
    {
      timestampMicros: at('arp-request'),
      frame: ethernet(
        client.mac,
        HOSTS.ethBroadcast,
        ETHERTYPE_ARP,
        arp(ARP_REQUEST, client.mac, client.ip, HOSTS.broadcast, server.ip),
      ),
    },
    {
      timestampMicros: at('arp-reply'),
      frame: ethernet(
        server.mac,
        client.mac,
        ETHERTYPE_ARP,
        arp(ARP_REPLY, server.mac, server.ip, client.mac, client.ip),
      ),
    },
    {
      timestampMicros: at('dns-query'),
      frame: udpFrame(
        client,
        resolver,
        53_001,
        53,
        dns({ id: 0x1234, response: false, questions: [{ name: v.dnsName, type: DNS_TYPE_A }] }),
      ),
    },
    {
      timestampMicros: at('dns-response'),
      frame: udpFrame(
        resolver,
        client,
        53,
        53_001,
        dns({
          id: 0x1234,
          response: true,
          rcode: DNS_RCODE_NOERROR,
          questions: [{ name: v.dnsName, type: DNS_TYPE_A }],
          answers: [v.dnsAnswer],
        }),
      ),
    },
    {
      timestampMicros: at('dns-nx-query'),
      frame: udpFrame(
        client,
        resolver,
        53_002,
        53,
        dns({ id: 0x4321, response: false, questions: [{ name: v.dnsNxName, type: DNS_TYPE_AAAA }] }),
      ),
    },
    {
      timestampMicros: at('dns-nx-response'),
      frame: udpFrame(
        resolver,
        client,
        53,
        53_002,
        dns({
          id: 0x4321,
          response: true,
          rcode: DNS_RCODE_NXDOMAIN,
          questions: [{ name: v.dnsNxName, type: DNS_TYPE_AAAA }],
        }),
      ),
    },
    httpConversation.syn(at('http-syn')),
    httpConversation.synAck(at('http-synack')),
    httpConversation.ack(true, at('http-ack')),
    httpConversation.data(true, at('http-request'), httpRequest('GET', v.httpPath, v.httpHost)),
    httpConversation.data(false, at('http-response'), httpResponse(v.httpStatus, 'OK', 'all good')),
    tlsConversation.syn(at('tls-syn')),
    tlsConversation.synAck(at('tls-synack')),
    tlsConversation.ack(true, at('tls-ack')),
    tlsConversation.data(true, at('tls-client-hello'), tlsClientHello(v.tlsServerName)),
    {
      timestampMicros: at('udp6'),
      frame: ethernet(
        v6a.mac,
        v6b.mac,
        ETHERTYPE_IPV6,
        udpOverIpv6(v6a.ip, v6b.ip, v.udp6SrcPort, v.udp6DstPort, Buffer.from('v6')),
      ),
    },
    {
      timestampMicros: at('icmp6-request'),
      frame: ethernet(v6a.mac, v6b.mac, ETHERTYPE_IPV6, icmpv6EchoOverIpv6(v6a.ip, v6b.ip, 128, v.icmpId, 1)),
    },
    {
      timestampMicros: at('icmp6-reply'),
      frame: ethernet(v6b.mac, v6a.mac, ETHERTYPE_IPV6, icmpv6EchoOverIpv6(v6b.ip, v6a.ip, 129, v.icmpId, 1)),
    },
    {
      timestampMicros: at('icmp-unreachable'),
      frame: ethernet(
        resolver.mac,
        client.mac,
        ETHERTYPE_IPV4,
        ipv4(
          resolver.ip,
          client.ip,
          IPPROTO_ICMP,
          icmpUnreachable(
            v.unreachableCode,
            ipv4(
              client.ip,
              resolver.ip,
              IPPROTO_UDP,
              udp(
                53_003,
                53,
                dns({ id: 0x7777, response: false, questions: [{ name: v.dnsName, type: DNS_TYPE_A }] }),
              ),
            ),
          ),
        ),
      ),
    },
  ];
}
