/**
 * Which layer of a packet counts as its "top" layer, and which output (topic, branch) it goes to.
 *
 * The rule: walk a priority list of layer names, highest first; the first layer the packet
 * carries wins. By default application protocols beat transports, which beat ICMP and ARP:
 *
 *   dns > http > tls > tcp > udp > icmp > arp, anything else -> "other"
 *
 * so DNS over UDP is "dns", HTTP over TCP is "http", a TLS record is "tls", a bare TCP segment is
 * "tcp". A layer name matches the protocol of the same name in `frame.protocols`, except `icmp`,
 * which also matches `icmpv6`, and `tls`, which also matches tshark's older name `ssl`.
 *
 * Protocols after an ICMP or ICMPv6 header are the datagram an ICMP error quotes, not the packet
 * itself, so they are ignored: a "port unreachable" quoting a DNS query is "icmp", not "dns".
 *
 * To change the rule, change the list: drop `dns` from the priority and DNS packets count as
 * `udp`; add `quic` before `udp` and QUIC gets its own output.
 */
import type { DefaultPacketLayer, Packet } from './packet.js';

/** Default priority of layers, highest first (see the module comment). */
export const defaultLayerPriority: readonly string[] = ['dns', 'http', 'tls', 'tcp', 'udp', 'icmp', 'arp'];

/** Protocol names (as in `frame.protocols`) that each layer name matches, where not just its own name. */
export const defaultLayerProtocols: Readonly<Record<string, readonly string[]>> = {
  icmp: ['icmp', 'icmpv6'],
  tls: ['tls', 'ssl'],
};

/** The topic each default layer goes to. */
export const defaultPacketTopics = {
  tcp: 'packets.tcp',
  udp: 'packets.udp',
  icmp: 'packets.icmp',
  arp: 'packets.arp',
  dns: 'packets.dns',
  http: 'packets.http',
  tls: 'packets.tls',
  other: 'packets.other',
} as const satisfies Record<DefaultPacketLayer, string>;

/** How to classify packets without choosing outputs. */
export interface TopLayerOptions {
  /** Layer names, highest priority first. Default: `defaultLayerPriority`. */
  readonly priority?: readonly string[];
  /** Extra or replacement protocol names per layer; merged over `defaultLayerProtocols`. */
  readonly protocols?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Routing of packets to a fixed set of outputs: `outputs` maps layer names to output names and
 * must include `other`. Layers in `priority` without an output are skipped, so the next layer
 * in the list the packet carries decides instead (leaving out `dns` makes DNS count as `udp`).
 */
export interface LayerRouting<Out extends string = string> extends TopLayerOptions {
  readonly outputs: Readonly<Record<string, Out>> & { readonly other: Out };
}

/** A routing prepared for the hot path: protocol name -> output, found with one pass over the stack. */
export interface CompiledLayerRouting<Out extends string = string> {
  /** The output for `packet`; no allocation. */
  route(packet: Pick<Packet, 'protocols'>): Out;
  /** The layer name (or "other") for `packet`. */
  layer(packet: Pick<Packet, 'protocols'>): string;
}

/** True for the protocols whose payload is a quoted datagram (see the module comment). */
function endsOwnStack(protocol: string): boolean {
  return protocol === 'icmp' || protocol === 'icmpv6';
}

function compileRanks(priority: readonly string[], extra: TopLayerOptions['protocols']): Map<string, number> {
  const matchers = { ...defaultLayerProtocols, ...extra };
  const ranks = new Map<string, number>();
  priority.forEach((layer, rank) => {
    for (const protocol of matchers[layer] ?? [layer]) {
      if (!ranks.has(protocol)) ranks.set(protocol, rank);
    }
  });
  return ranks;
}

/** Index in `priority` of the best layer the stack carries, or -1. */
function bestRank(protocols: readonly string[], ranks: Map<string, number>): number {
  let best = -1;
  for (let i = 0; i < protocols.length; i++) {
    const protocol = protocols[i]!;
    const rank = ranks.get(protocol);
    if (rank !== undefined && (best === -1 || rank < best)) best = rank;
    if (endsOwnStack(protocol)) break;
  }
  return best;
}

/** Prepares `routing` for repeated use; throws a RangeError naming the problem when it is invalid. */
export function compileLayerRouting<Out extends string>(
  routing: LayerRouting<Out>,
): CompiledLayerRouting<Out> {
  const other = routing.outputs.other;
  if (typeof other !== 'string') {
    throw new RangeError('layer routing needs an output for "other" (packets no listed layer matches)');
  }
  const priority = (routing.priority ?? defaultLayerPriority).filter(
    (layer) => layer !== 'other' && Object.hasOwn(routing.outputs, layer),
  );
  const ranks = compileRanks(priority, routing.protocols);
  const outputs = priority.map((layer) => routing.outputs[layer]!);
  return {
    route: (packet) => {
      const rank = bestRank(packet.protocols, ranks);
      return rank === -1 ? other : outputs[rank]!;
    },
    layer: (packet) => {
      const rank = bestRank(packet.protocols, ranks);
      return rank === -1 ? 'other' : priority[rank]!;
    },
  };
}

const compiledCache = new WeakMap<LayerRouting<string>, CompiledLayerRouting<string>>();

/**
 * The output `packet` goes to under `routing` (pure; the compiled routing is cached per routing
 * object, so pass the same object every time on a hot path).
 */
export function layerOf<Out extends string>(
  packet: Pick<Packet, 'protocols'>,
  routing: LayerRouting<Out>,
): Out {
  let compiled = compiledCache.get(routing);
  if (!compiled) {
    compiled = compileLayerRouting(routing);
    compiledCache.set(routing, compiled);
  }
  return compiled.route(packet) as Out;
}

const defaultRanks = compileRanks(defaultLayerPriority, undefined);

const optionRanksCache = new WeakMap<TopLayerOptions, Map<string, number>>();

/**
 * The top layer of `packet` under `options` (default priority when omitted), or "other".
 * Ranks are cached per options object.
 */
export function topLayer(packet: Pick<Packet, 'protocols'>, options?: TopLayerOptions): string {
  if (options === undefined) return topLayerOfStack(packet.protocols);
  const priority = options.priority ?? defaultLayerPriority;
  let ranks = optionRanksCache.get(options);
  if (!ranks) {
    ranks = compileRanks(priority, options.protocols);
    optionRanksCache.set(options, ranks);
  }
  const rank = bestRank(packet.protocols, ranks);
  return rank === -1 ? 'other' : priority[rank]!;
}

/** The default top layer of a protocol stack (used by the parser to fill `Packet.topLayer`). */
export function topLayerOfStack(protocols: readonly string[]): DefaultPacketLayer {
  const rank = bestRank(protocols, defaultRanks);
  return rank === -1 ? 'other' : (defaultLayerPriority[rank] as DefaultPacketLayer);
}
