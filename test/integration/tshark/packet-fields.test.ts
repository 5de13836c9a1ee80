/**
 * Every Packet field, for every frame of a capture we build byte by byte, through the real tshark:
 * what comes out must be exactly what we wrote (addresses, ports, flags, timings...), in both EK
 * shapes the source can ask tshark for.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type Packet, tsharkSource } from '../../../src/connectors/tshark/index.js';
import { NO_PROTOCOL_FIELDS } from '../../helpers/packet-fields.js';
import { writePcap } from '../../helpers/pcap.js';
import {
  HOSTS,
  MIXED_FRAMES,
  MIXED_T0,
  type MixedFrameName,
  mixedCapture,
  MIXED_VALUES as V,
} from '../../helpers/pcap-scenarios.js';
import { drain, tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-tshark-fields-');
afterAll(cleanup);

const capture = mixedCapture();
const file = `${dir}/mixed.pcap`;
writePcap(file, capture);

type Expected = Omit<Packet, 'layers'>;
const NONE = NO_PROTOCOL_FIELDS;

const index = (name: MixedFrameName): number => MIXED_FRAMES.findIndex((f) => f.name === name);
const micros = (name: MixedFrameName): number => MIXED_T0 + MIXED_FRAMES[index(name)]!.offset;
/** Milliseconds between two frames, from the offsets we wrote. */
const between = (from: MixedFrameName, to: MixedFrameName): number => (micros(to) - micros(from)) / 1000;

type Host = { mac: string; ip: string };
function frame(
  name: MixedFrameName,
  protocols: string,
  from: Host,
  to: Host,
  extra: Partial<Expected>,
  ip: 4 | 6 | 'no-ip' = 4,
): Expected {
  const ipVersion = ip === 'no-ip' ? undefined : ip;
  const i = index(name);
  const topLayer = extra.topLayer;
  if (!topLayer) throw new Error(`test table: ${name} needs a topLayer`);
  return {
    timestampMicros: micros(name),
    timestamp: Math.floor(micros(name) / 1000),
    frameNumber: i + 1,
    length: capture[i]!.frame.length,
    protocols: protocols.split(':'),
    srcMac: from.mac,
    dstMac: to.mac,
    ipVersion,
    srcIp: ipVersion === undefined ? undefined : from.ip,
    dstIp: ipVersion === undefined ? undefined : to.ip,
    ...NONE,
    ...extra,
    topLayer,
  };
}

const { client, server, resolver, web, tls, v6a, v6b } = HOSTS;
const TCP = 'eth:ethertype:ip:tcp';
const flags = (syn: boolean, ack: boolean, fin: boolean, rst: boolean, psh: boolean) => ({
  tcpSyn: syn,
  tcpAck: ack,
  tcpFin: fin,
  tcpRst: rst,
  tcpPsh: psh,
});
const plainOut = { srcPort: V.tcpClientPort, dstPort: V.tcpServerPort, topLayer: 'tcp' } as const;
const plainBack = { srcPort: V.tcpServerPort, dstPort: V.tcpClientPort, topLayer: 'tcp' } as const;
const httpOut = { srcPort: 40_080, dstPort: 80 } as const;
const httpBack = { srcPort: 80, dstPort: 40_080 } as const;
const tlsOut = { srcPort: 40_443, dstPort: 443, topLayer: 'tcp' } as const;
const tlsBack = { srcPort: 443, dstPort: 40_443, topLayer: 'tcp' } as const;

const EXPECTED: Expected[] = [
  frame('tcp-syn', TCP, client, server, { ...plainOut, ...flags(true, false, false, false, false) }),
  frame('tcp-synack', TCP, server, client, {
    ...plainBack,
    ...flags(true, true, false, false, false),
    tcpAckRttMs: between('tcp-syn', 'tcp-synack'),
  }),
  frame('tcp-ack', TCP, client, server, {
    ...plainOut,
    ...flags(false, true, false, false, false),
    tcpAckRttMs: between('tcp-synack', 'tcp-ack'),
  }),
  frame('tcp-data', `${TCP}:data`, client, server, {
    ...plainOut,
    ...flags(false, true, false, false, true),
  }),
  frame('tcp-data-ack', TCP, server, client, {
    ...plainBack,
    ...flags(false, true, false, false, false),
    tcpAckRttMs: between('tcp-data', 'tcp-data-ack'),
  }),
  frame('tcp-rst', TCP, client, server, { ...plainOut, ...flags(false, true, false, true, false) }),
  frame('udp', 'eth:ethertype:ip:udp:data', client, server, {
    srcPort: V.udpSrcPort,
    dstPort: V.udpDstPort,
    topLayer: 'udp',
  }),
  frame('icmp-request', 'eth:ethertype:ip:icmp:data', client, server, {
    icmpType: 8,
    icmpCode: 0,
    topLayer: 'icmp',
  }),
  frame('icmp-reply', 'eth:ethertype:ip:icmp:data', server, client, {
    icmpType: 0,
    icmpCode: 0,
    topLayer: 'icmp',
  }),
  frame(
    'arp-request',
    'eth:ethertype:arp',
    client,
    { mac: HOSTS.ethBroadcast, ip: '' },
    { arpOperation: 1, arpSenderIp: client.ip, arpTargetIp: server.ip, topLayer: 'arp' },
    'no-ip',
  ),
  frame(
    'arp-reply',
    'eth:ethertype:arp',
    server,
    client,
    { arpOperation: 2, arpSenderIp: server.ip, arpTargetIp: client.ip, topLayer: 'arp' },
    'no-ip',
  ),
  frame('dns-query', 'eth:ethertype:ip:udp:dns', client, resolver, {
    srcPort: 53_001,
    dstPort: 53,
    dnsQueryName: V.dnsName,
    dnsQueryType: 1,
    dnsIsResponse: false,
    topLayer: 'dns',
  }),
  frame('dns-response', 'eth:ethertype:ip:udp:dns', resolver, client, {
    srcPort: 53,
    dstPort: 53_001,
    dnsQueryName: V.dnsName,
    dnsQueryType: 1,
    dnsRcode: 0,
    dnsIsResponse: true,
    dnsResponseTimeMs: between('dns-query', 'dns-response'),
    topLayer: 'dns',
  }),
  frame('dns-nx-query', 'eth:ethertype:ip:udp:dns', client, resolver, {
    srcPort: 53_002,
    dstPort: 53,
    dnsQueryName: V.dnsNxName,
    dnsQueryType: 28,
    dnsIsResponse: false,
    topLayer: 'dns',
  }),
  frame('dns-nx-response', 'eth:ethertype:ip:udp:dns', resolver, client, {
    srcPort: 53,
    dstPort: 53_002,
    dnsQueryName: V.dnsNxName,
    dnsQueryType: 28,
    dnsRcode: 3,
    dnsIsResponse: true,
    dnsResponseTimeMs: between('dns-nx-query', 'dns-nx-response'),
    topLayer: 'dns',
  }),
  frame('http-syn', TCP, client, web, {
    ...httpOut,
    ...flags(true, false, false, false, false),
    topLayer: 'tcp',
  }),
  frame('http-synack', TCP, web, client, {
    ...httpBack,
    ...flags(true, true, false, false, false),
    tcpAckRttMs: between('http-syn', 'http-synack'),
    topLayer: 'tcp',
  }),
  frame('http-ack', TCP, client, web, {
    ...httpOut,
    ...flags(false, true, false, false, false),
    tcpAckRttMs: between('http-synack', 'http-ack'),
    topLayer: 'tcp',
  }),
  frame('http-request', `${TCP}:http`, client, web, {
    ...httpOut,
    ...flags(false, true, false, false, true),
    httpHost: V.httpHost,
    httpMethod: 'GET',
    topLayer: 'http',
  }),
  frame('http-response', `${TCP}:http:data-text-lines`, web, client, {
    ...httpBack,
    ...flags(false, true, false, false, true),
    tcpAckRttMs: between('http-request', 'http-response'),
    httpStatus: V.httpStatus,
    httpResponseTimeMs: between('http-request', 'http-response'),
    topLayer: 'http',
  }),
  frame('tls-syn', TCP, client, tls, { ...tlsOut, ...flags(true, false, false, false, false) }),
  frame('tls-synack', TCP, tls, client, {
    ...tlsBack,
    ...flags(true, true, false, false, false),
    tcpAckRttMs: between('tls-syn', 'tls-synack'),
  }),
  frame('tls-ack', TCP, client, tls, {
    ...tlsOut,
    ...flags(false, true, false, false, false),
    tcpAckRttMs: between('tls-synack', 'tls-ack'),
  }),
  frame('tls-client-hello', `${TCP}:tls`, client, tls, {
    ...tlsOut,
    ...flags(false, true, false, false, true),
    tlsServerName: V.tlsServerName,
    topLayer: 'tls',
  }),
  frame(
    'udp6',
    'eth:ethertype:ipv6:udp:data',
    v6a,
    v6b,
    { srcPort: V.udp6SrcPort, dstPort: V.udp6DstPort, topLayer: 'udp' },
    6,
  ),
  frame(
    'icmp6-request',
    'eth:ethertype:ipv6:icmpv6:data',
    v6a,
    v6b,
    { icmpType: 128, icmpCode: 0, topLayer: 'icmp' },
    6,
  ),
  frame(
    'icmp6-reply',
    'eth:ethertype:ipv6:icmpv6:data',
    v6b,
    v6a,
    { icmpType: 129, icmpCode: 0, topLayer: 'icmp' },
    6,
  ),
  // The quoted DNS query after the ICMP header fills no port or DNS field and does not make it "dns".
  frame('icmp-unreachable', 'eth:ethertype:ip:icmp:ip:udp:dns', resolver, client, {
    icmpType: 3,
    icmpCode: V.unreachableCode,
    topLayer: 'icmp',
  }),
];

function withoutLayers(packet: Packet): Expected {
  const { layers: _layers, ...rest } = packet;
  return rest;
}

describe.each(['model', 'all'] as const)('tshark source, fields: %s', (fields) => {
  it('turns every frame into a Packet whose every field is what the capture holds', async () => {
    expect(EXPECTED).toHaveLength(capture.length);
    const source = tsharkSource({ file, fields, batchSize: 10 });
    const { records, batchSizes } = await drain(source);

    expect(batchSizes).toEqual([10, 10, capture.length - 20]);
    expect(records.map((r) => withoutLayers(r.value))).toStrictEqual(EXPECTED);
    // Record key: source IP, or source MAC for ARP; timestamp: the packet's, in ms.
    expect(records.map((r) => r.key)).toEqual(EXPECTED.map((p) => p.srcIp ?? p.srcMac));
    expect(records.map((r) => r.timestamp)).toEqual(EXPECTED.map((p) => p.timestamp));
    expect(records.every((r) => r.origin === undefined && r.headers === undefined)).toBe(true);
    expect(source.packetsRead).toBe(capture.length);
    expect(source.malformedLines).toBe(0);
    expect(source.bytesRead).toBeGreaterThan(capture.length * 100);
  });

  it('keeps the raw EK layers for fields the model does not lift out', async () => {
    const source = tsharkSource({
      file,
      fields,
      ...(fields === 'model' ? { extraFields: ['tcp.window_size_value', 'ip.ttl'] } : {}),
    });
    const { records } = await drain(source);
    const syn = records[index('tcp-syn')]!.value.layers;
    if (fields === 'model') {
      expect(syn.tcp_window_size_value).toEqual(['65535']);
      expect(syn.ip_ttl).toEqual(['64']);
    } else {
      expect((syn.tcp as Record<string, unknown>).tcp_tcp_window_size_value).toBe('65535');
      expect((syn.ip as Record<string, unknown>).ip_ip_ttl).toBe('64');
    }
  });
});

it('applies a display filter and a packet limit', async () => {
  const dnsOnly = await drain(tsharkSource({ file, displayFilter: 'dns && !icmp' }));
  expect(dnsOnly.records.map((r) => r.value.frameNumber)).toEqual(
    (['dns-query', 'dns-response', 'dns-nx-query', 'dns-nx-response'] as const).map((n) => index(n) + 1),
  );
  const firstFive = await drain(tsharkSource({ file, maxPackets: 5 }));
  expect(firstFive.records.map((r) => r.value.frameNumber)).toEqual([1, 2, 3, 4, 5]);
});

it('uses a custom key', async () => {
  const { records } = await drain(tsharkSource({ file, key: (p) => p.topLayer }));
  expect(records.map((r) => r.key)).toEqual(EXPECTED.map((p) => p.topLayer));
});
