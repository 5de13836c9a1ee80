/**
 * Routing by layer agrees with tshark's own statistics: over a mixed capture, the number of packets
 * `layerOf` sends to each output equals what tshark's protocol hierarchy (`-z io,phs`) implies for
 * the same file, with the same documented rule applied to tshark's protocol paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultPacketTopics,
  type LayerRouting,
  layerOf,
  type Packet,
  tsharkSource,
} from '../../../src/connectors/tshark/index.js';
import { type PcapPacket, writePcap } from '../../helpers/pcap.js';
import { mixedCapture } from '../../helpers/pcap-scenarios.js';
import { countsFromHierarchy, type PhsNode, protocolHierarchy, walk } from '../../helpers/tshark-phs.js';
import { drain, tempDir } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-tshark-phs-');
afterAll(cleanup);

/** The mixed capture three times over, a second apart, so every count is above one. */
function repeatedCapture(times: number): PcapPacket[] {
  const once = mixedCapture();
  const all: PcapPacket[] = [];
  for (let r = 0; r < times; r++) {
    for (const p of once) all.push({ timestampMicros: p.timestampMicros + r * 1_000_000, frame: p.frame });
  }
  return all;
}

function countsFromPackets(packets: Packet[], routing: LayerRouting): Map<string, number> {
  const counts = new Map<string, number>();
  for (const packet of packets) {
    const output = layerOf(packet, routing);
    counts.set(output, (counts.get(output) ?? 0) + 1);
  }
  return counts;
}

/** The protocols a packet carries itself: its stack up to and including an ICMP header. */
function ownStack(protocols: readonly string[]): readonly string[] {
  const icmp = protocols.findIndex((p) => p === 'icmp' || p === 'icmpv6');
  return icmp === -1 ? protocols : protocols.slice(0, icmp + 1);
}

const sorted = (counts: Map<string, number>) =>
  Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));

describe('layerOf over a mixed capture', () => {
  const file = `${dir}/mixed3.pcap`;
  const capture = repeatedCapture(3);
  writePcap(file, capture);
  let packets: Packet[] = [];
  let hierarchy: PhsNode[] = [];

  beforeAll(async () => {
    packets = (await drain(tsharkSource({ file }))).records.map((r) => r.value);
    hierarchy = protocolHierarchy(file);
  });

  it('reads every packet, and tshark statistics count every frame', () => {
    expect(packets).toHaveLength(capture.length);
    expect(hierarchy.reduce((sum, root) => sum + root.frames, 0)).toBe(capture.length);
  });

  it('sees each protocol in as many packets as tshark counts', () => {
    const tokens = ['eth', 'ip', 'ipv6', 'arp', 'tcp', 'udp', 'icmp', 'icmpv6', 'dns', 'http', 'tls'];
    for (const token of tokens) {
      // tshark's hierarchy lists under an ICMP node only what the quoted datagram carried on top.
      const fromTshark = [...walk(hierarchy)]
        .filter(
          (n) => n.path.at(-1) === token && !n.path.slice(0, -1).some((p) => p === 'icmp' || p === 'icmpv6'),
        )
        .reduce((sum, n) => sum + n.frames, 0);
      const fromPackets = packets.filter((p) => ownStack(p.protocols).includes(token)).length;
      expect({ token, count: fromPackets }).toEqual({ token, count: fromTshark });
      expect(fromTshark).toBeGreaterThan(0);
    }
  });

  it('routes to the default topics exactly as tshark statistics imply', () => {
    const routing: LayerRouting = { outputs: defaultPacketTopics };
    const fromPackets = countsFromPackets(packets, routing);
    expect(sorted(fromPackets)).toEqual(sorted(countsFromHierarchy(hierarchy, routing)));
    // Every topic gets traffic from this capture, and the ICMP error quoting DNS went to icmp.
    expect([...fromPackets.keys()].sort()).toEqual(
      Object.values(defaultPacketTopics)
        .filter((t) => t !== 'packets.other')
        .sort(),
    );
    const quoted = packets.filter((p) => p.icmpType === 3);
    expect(quoted.map((p) => layerOf(p, routing))).toEqual(['packets.icmp', 'packets.icmp', 'packets.icmp']);
  });

  it('with DNS counting as UDP, moves exactly the DNS packets to the udp output', () => {
    const routing: LayerRouting = {
      outputs: defaultPacketTopics,
      priority: ['http', 'tls', 'tcp', 'udp', 'icmp', 'arp'],
    };
    const fromPackets = countsFromPackets(packets, routing);
    expect(sorted(fromPackets)).toEqual(sorted(countsFromHierarchy(hierarchy, routing)));
    const defaults = countsFromPackets(packets, { outputs: defaultPacketTopics });
    expect(fromPackets.get('packets.dns')).toBeUndefined();
    expect(fromPackets.get('packets.udp')).toBe(defaults.get('packets.udp')! + defaults.get('packets.dns')!);
  });
});
