/**
 * tshark is installed and reads captures we write ourselves: a pcap built by test/helpers/pcap.ts
 * goes through the real `tshark -r FILE -T ek`, and the EK lines parse back into the packets we wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ETHERTYPE_IPV4,
  ethernet,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  icmpEcho,
  ipv4,
  TCP_SYN,
  tcp,
  udp,
  writePcap,
} from '../helpers/pcap.js';

type EkLayers = Record<string, Record<string, unknown>>;

const dir = mkdtempSync(join(tmpdir(), 'tributary-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tshark on a generated pcap', () => {
  it('parses every packet we wrote, with addresses, ports and protocol stack', () => {
    const file = join(dir, 'three.pcap');
    const a = '02:00:00:00:00:01';
    const b = '02:00:00:00:00:02';
    const t0 = 1_700_000_000_123_456;
    writePcap(file, [
      {
        timestampMicros: t0,
        frame: ethernet(
          a,
          b,
          ETHERTYPE_IPV4,
          ipv4('10.0.0.1', '10.0.0.2', IPPROTO_UDP, udp(5000, 6000, Buffer.from('hi'))),
        ),
      },
      {
        timestampMicros: t0 + 1000,
        frame: ethernet(
          a,
          b,
          ETHERTYPE_IPV4,
          ipv4(
            '10.0.0.1',
            '10.0.0.3',
            IPPROTO_TCP,
            tcp({ srcPort: 40000, dstPort: 80, seq: 7, flags: TCP_SYN }),
          ),
        ),
      },
      {
        timestampMicros: t0 + 2000,
        frame: ethernet(b, a, ETHERTYPE_IPV4, ipv4('10.0.0.2', '10.0.0.1', IPPROTO_ICMP, icmpEcho(8, 1, 1))),
      },
    ]);

    const output = execFileSync('tshark', ['-r', file, '-T', 'ek'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // EK interleaves bulk-index lines with documents; the documents carry `layers`.
    const docs = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { layers?: EkLayers; timestamp?: string })
      .filter((doc) => doc.layers !== undefined);
    expect(docs).toHaveLength(3);
    const [udpDoc, tcpDoc, icmpDoc] = docs.map((d) => d.layers as EkLayers);

    expect(udpDoc?.frame?.frame_frame_protocols).toBe('eth:ethertype:ip:udp:data');
    expect(udpDoc?.frame?.frame_frame_time_epoch).toBe('1700000000.123456000');
    expect(udpDoc?.eth?.eth_eth_src).toBe(a);
    expect(udpDoc?.ip?.ip_ip_src).toBe('10.0.0.1');
    expect(udpDoc?.ip?.ip_ip_dst).toBe('10.0.0.2');
    expect(udpDoc?.udp?.udp_udp_srcport).toBe('5000');
    expect(udpDoc?.udp?.udp_udp_dstport).toBe('6000');

    expect(tcpDoc?.frame?.frame_frame_protocols).toBe('eth:ethertype:ip:tcp');
    expect(tcpDoc?.ip?.ip_ip_dst).toBe('10.0.0.3');
    expect(tcpDoc?.tcp?.tcp_tcp_dstport).toBe('80');
    expect(tcpDoc?.tcp?.tcp_tcp_flags_syn).toBe(true);

    expect(icmpDoc?.frame?.frame_frame_protocols).toBe('eth:ethertype:ip:icmp:data');
    expect(icmpDoc?.icmp?.icmp_icmp_type).toBe('8');
    expect(icmpDoc?.ip?.ip_ip_src).toBe('10.0.0.2');
  });
});
