/**
 * The routing topology: packets to the predefined per-protocol topics by their top layer
 * (dns > http > tls > tcp > udp > icmp > arp, else other). Only these topics are ever written.
 */
import type { Packet } from '../../../src/connectors/tshark/packet.js';
import type { KStream } from '../../../src/dsl/kstream.js';
import type { MonitorOptions } from './options.js';
import { resolveMonitorOptions } from './resolve-options.js';

/** Routes `packets` to one topic per top layer (`options.topics`, default `packets.<layer>`). */
export function buildPacketRouting(
  packets: KStream<string, Packet>,
  options: Pick<MonitorOptions, 'topics' | 'name'> = {},
): void {
  const { topics, name } = resolveMonitorOptions({ topics: options.topics, name: options.name });
  const { other, ...layers } = topics;
  packets.routeByLayer({ ...layers, default: other }, { name: `${name}-routing` });
}
