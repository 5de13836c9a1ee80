import { describe, expect, it } from 'vitest';
import {
  compileLayerRouting,
  defaultPacketTopics,
  type LayerRouting,
  layerOf,
  topLayer,
} from '../../../src/connectors/tshark/layer-routing.js';

const stack = (protocols: string) => ({ protocols: protocols.split(':') });

describe('topLayer with the default priority', () => {
  it.each([
    ['eth:ethertype:ip:udp:dns', 'dns'],
    ['eth:ethertype:ip:tcp:dns', 'dns'],
    ['eth:ethertype:ip:tcp:http', 'http'],
    ['eth:ethertype:ip:tcp:http:data-text-lines', 'http'],
    ['eth:ethertype:ip:tcp:tls', 'tls'],
    ['eth:ethertype:ip:tcp:ssl', 'tls'],
    ['eth:ethertype:ip:tcp', 'tcp'],
    ['eth:ethertype:ip:tcp:data', 'tcp'],
    ['eth:ethertype:ipv6:udp:data', 'udp'],
    ['eth:ethertype:ip:udp:quic', 'udp'],
    ['eth:ethertype:ip:icmp:data', 'icmp'],
    ['eth:ethertype:ipv6:icmpv6', 'icmp'],
    ['eth:ethertype:ip:icmp:ip:udp:dns', 'icmp'],
    ['eth:ethertype:arp', 'arp'],
    ['eth:ethertype:lldp', 'other'],
    ['eth:ethertype:ip:igmp', 'other'],
  ])('%s -> %s', (protocols, expected) => {
    expect(topLayer(stack(protocols))).toBe(expected);
  });
});

describe('layerOf', () => {
  const routing: LayerRouting = { outputs: defaultPacketTopics };

  it('routes to the default topics', () => {
    expect(layerOf(stack('eth:ethertype:ip:udp:dns'), routing)).toBe('packets.dns');
    expect(layerOf(stack('eth:ethertype:ip:tcp:tls'), routing)).toBe('packets.tls');
    expect(layerOf(stack('eth:ethertype:arp'), routing)).toBe('packets.arp');
    expect(layerOf(stack('eth:ethertype:lldp'), routing)).toBe('packets.other');
  });

  it('makes DNS count as UDP when dns leaves the priority list', () => {
    const dnsAsUdp: LayerRouting = {
      outputs: defaultPacketTopics,
      priority: ['http', 'tls', 'tcp', 'udp', 'icmp', 'arp'],
    };
    expect(layerOf(stack('eth:ethertype:ip:udp:dns'), dnsAsUdp)).toBe('packets.udp');
    expect(layerOf(stack('eth:ethertype:ip:tcp:dns'), dnsAsUdp)).toBe('packets.tcp');
    expect(topLayer(stack('eth:ethertype:ip:udp:dns'), dnsAsUdp)).toBe('udp');
  });

  it('skips layers without an output, so the next one the packet carries decides', () => {
    const transportOnly: LayerRouting<'t' | 'u' | 'rest'> = {
      outputs: { tcp: 't', udp: 'u', other: 'rest' },
    };
    expect(layerOf(stack('eth:ethertype:ip:tcp:http'), transportOnly)).toBe('t');
    expect(layerOf(stack('eth:ethertype:ip:udp:dns'), transportOnly)).toBe('u');
    expect(layerOf(stack('eth:ethertype:arp'), transportOnly)).toBe('rest');
  });

  it('gives any protocol its own output when it is listed, and accepts extra protocol names', () => {
    const withQuic: LayerRouting = {
      outputs: { ...defaultPacketTopics, quic: 'packets.quic', http: 'packets.web' },
      priority: ['quic', 'dns', 'http', 'tls', 'tcp', 'udp', 'icmp', 'arp'],
      protocols: { http: ['http', 'http2'] },
    };
    expect(layerOf(stack('eth:ethertype:ip:udp:quic'), withQuic)).toBe('packets.quic');
    expect(layerOf(stack('eth:ethertype:ip:tcp:tls:http2'), withQuic)).toBe('packets.web');
  });

  it('needs an output for other', () => {
    expect(() => compileLayerRouting({ outputs: { tcp: 'x' } } as unknown as LayerRouting)).toThrow(
      /"other"/,
    );
  });

  it('compiled routing gives the same answers as layerOf', () => {
    const compiled = compileLayerRouting(routing);
    for (const protocols of [
      'eth:ethertype:ip:udp:dns',
      'eth:ethertype:arp',
      'eth:ethertype:ipv6:icmpv6',
      'x',
    ]) {
      expect(compiled.route(stack(protocols))).toBe(layerOf(stack(protocols), routing));
      expect(compiled.layer(stack(protocols))).toBe(topLayer(stack(protocols)));
    }
  });
});
