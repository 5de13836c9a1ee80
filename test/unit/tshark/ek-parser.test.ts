/**
 * The EK parser on lines shaped like tshark's: index lines, both document shapes, repeated layers
 * and fields, the ICMP quoting rule, and every kind of malformed line. (Real tshark output is
 * checked field by field in test/integration/tshark/packet-fields.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { parseEkLine } from '../../../src/connectors/tshark/ek-parser.js';
import { MalformedPacketError } from '../../../src/connectors/tshark/errors.js';

const EPOCH = '1700000000.250000000';

/** A full (nested) EK document line. */
function nested(layers: Record<string, unknown>, protocols: string): string {
  return JSON.stringify({
    timestamp: '1700000000250',
    layers: {
      frame: {
        frame_frame_time_epoch: EPOCH,
        frame_frame_number: '9',
        frame_frame_len: '99',
        frame_frame_protocols: protocols,
      },
      ...layers,
    },
  });
}

/** A field-selected (flat, `-e`) EK document line. */
function flat(fields: Record<string, string[]>): string {
  return JSON.stringify({ timestamp: '1700000000250', layers: { frame_time_epoch: [EPOCH], ...fields } });
}

function malformed(line: string, lineNumber = 7): MalformedPacketError {
  try {
    parseEkLine(line, lineNumber);
  } catch (error) {
    if (error instanceof MalformedPacketError) return error;
    throw error;
  }
  throw new Error(`accepted: ${line}`);
}

describe('parseEkLine', () => {
  it('returns null for index lines and blank lines', () => {
    expect(parseEkLine('{"index":{"_index":"packets-2023-11-14","_type":"doc"}}', 1)).toBeNull();
    expect(parseEkLine(' {"index" : {}}', 1)).toBeNull();
    expect(parseEkLine('', 1)).toBeNull();
    expect(parseEkLine('   ', 1)).toBeNull();
  });

  it('reads a nested document', () => {
    const packet = parseEkLine(
      nested(
        {
          eth: { eth_eth_src: 'aa:aa:aa:aa:aa:aa', eth_eth_dst: 'bb:bb:bb:bb:bb:bb' },
          ip: { ip_ip_src: '10.0.0.1', ip_ip_dst: '10.0.0.2' },
          udp: { udp_udp_srcport: '5353', udp_udp_dstport: '53' },
          dns: {
            dns_dns_qry_name: 'a.example',
            dns_dns_qry_type: '28',
            dns_dns_flags_response: true,
            dns_dns_flags_rcode: '2',
            dns_dns_time: '0.012000000',
          },
        },
        'eth:ethertype:ip:udp:dns',
      ),
      2,
    )!;
    expect(packet).toMatchObject({
      timestampMicros: 1_700_000_000_250_000,
      timestamp: 1_700_000_000_250,
      frameNumber: 9,
      length: 99,
      protocols: ['eth', 'ethertype', 'ip', 'udp', 'dns'],
      topLayer: 'dns',
      srcMac: 'aa:aa:aa:aa:aa:aa',
      dstMac: 'bb:bb:bb:bb:bb:bb',
      ipVersion: 4,
      srcIp: '10.0.0.1',
      dstIp: '10.0.0.2',
      srcPort: 5353,
      dstPort: 53,
      tcpSyn: undefined,
      dnsQueryName: 'a.example',
      dnsQueryType: 28,
      dnsIsResponse: true,
      dnsRcode: 2,
      dnsResponseTimeMs: 12,
    });
  });

  it('reads a flat document with "1"/"0" booleans the same way', () => {
    const packet = parseEkLine(
      flat({
        frame_number: ['3'],
        frame_len: ['60'],
        frame_protocols: ['eth:ethertype:ipv6:tcp'],
        ipv6_src: ['2001:db8::1'],
        ipv6_dst: ['2001:db8::2'],
        tcp_srcport: ['443'],
        tcp_dstport: ['50000'],
        tcp_flags_syn: ['1'],
        tcp_flags_ack: ['1'],
        tcp_flags_fin: ['0'],
        tcp_flags_reset: ['0'],
        tcp_flags_push: ['0'],
        tcp_analysis_ack_rtt: ['0.000250000'],
      }),
      4,
    )!;
    expect(packet).toMatchObject({
      frameNumber: 3,
      ipVersion: 6,
      srcIp: '2001:db8::1',
      dstIp: '2001:db8::2',
      srcPort: 443,
      dstPort: 50_000,
      tcpSyn: true,
      tcpAck: true,
      tcpFin: false,
      tcpRst: false,
      tcpPsh: false,
      tcpAckRttMs: 0.25,
      topLayer: 'tcp',
    });
  });

  it('takes the outer header of IP-in-IP and the first of several DNS questions', () => {
    const packet = parseEkLine(
      nested(
        {
          ip: [
            { ip_ip_src: '10.0.0.1', ip_ip_dst: '10.0.0.2' },
            { ip_ip_src: '192.168.1.1', ip_ip_dst: '192.168.1.2' },
          ],
          udp: { udp_udp_srcport: '1000', udp_udp_dstport: '53' },
          dns: { dns_dns_qry_name: ['first.example', 'second.example'], dns_dns_qry_type: ['1', '28'] },
        },
        'eth:ethertype:ip:ip:udp:dns',
      ),
      1,
    )!;
    expect(packet.srcIp).toBe('10.0.0.1');
    expect(packet.dstIp).toBe('10.0.0.2');
    expect(packet.dnsQueryName).toBe('first.example');
    expect(packet.dnsQueryType).toBe(1);
  });

  it('ignores the datagram an ICMP error quotes', () => {
    const packet = parseEkLine(
      flat({
        frame_protocols: ['eth:ethertype:ip:icmp:ip:udp:dns'],
        ip_src: ['10.0.0.53', '10.0.0.1'],
        ip_dst: ['10.0.0.1', '10.0.0.53'],
        icmp_type: ['3'],
        icmp_code: ['3'],
        udp_srcport: ['53003'],
        udp_dstport: ['53'],
        dns_qry_name: ['example.com'],
      }),
      1,
    )!;
    expect(packet).toMatchObject({
      srcIp: '10.0.0.53',
      icmpType: 3,
      icmpCode: 3,
      srcPort: undefined,
      dstPort: undefined,
      dnsQueryName: undefined,
      topLayer: 'icmp',
    });
  });

  it('reads ICMPv6 type and code into the ICMP fields', () => {
    const packet = parseEkLine(
      flat({
        frame_protocols: ['eth:ethertype:ipv6:icmpv6'],
        icmpv6_type: ['135'],
        icmpv6_code: ['0'],
        icmp_type: ['8'],
      }),
      1,
    )!;
    expect(packet.icmpType).toBe(135);
    expect(packet.icmpCode).toBe(0);
  });

  it('takes ports from the first transport header (the outer UDP of a VXLAN tunnel)', () => {
    const packet = parseEkLine(
      flat({
        frame_protocols: ['eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp'],
        udp_srcport: ['40000'],
        udp_dstport: ['4789'],
        tcp_srcport: ['80'],
        tcp_dstport: ['1234'],
        tcp_flags_syn: ['1'],
      }),
      1,
    )!;
    expect(packet.srcPort).toBe(40_000);
    expect(packet.dstPort).toBe(4789);
    expect(packet.tcpSyn).toBe(true);
  });

  it('falls back to the Linux cooked-capture source MAC', () => {
    const packet = parseEkLine(
      flat({ frame_protocols: ['sll:ethertype:arp'], sll_src_eth: ['cc:cc:cc:cc:cc:cc'] }),
      1,
    )!;
    expect(packet.srcMac).toBe('cc:cc:cc:cc:cc:cc');
    expect(packet.srcIp).toBeUndefined();
  });

  it('throws MalformedPacketError with the line number, a snippet and the reason', () => {
    const truncated = nested({}, 'eth:ethertype:ip').slice(0, 60);
    const error = malformed(truncated, 41);
    expect(error.lineNumber).toBe(41);
    expect(error.snippet).toBe(truncated);
    expect(error.reason).toContain('not JSON');
    expect(error.message).toContain('line 41');
    expect(error.cause).toBeInstanceOf(SyntaxError);

    expect(malformed('[1,2]').reason).toBe('not a JSON object');
    expect(malformed('"text"').reason).toBe('not a JSON object');
    expect(malformed('{"timestamp":"1"}').reason).toBe('no "layers" object');
    expect(malformed(flat({ frame_protocols: ['eth'] }).replace(EPOCH, 'yesterday')).reason).toBe(
      'no valid frame.time_epoch',
    );
    expect(malformed(flat({})).reason).toBe('no frame.protocols');
  });

  it('cuts long snippets', () => {
    const error = malformed(`{"x":"${'y'.repeat(1000)}`);
    expect(error.snippet.length).toBeLessThanOrEqual(161);
    expect(error.snippet.endsWith('…')).toBe(true);
  });
});
