/**
 * A TCP conversation builder for pcap tests: tracks sequence and acknowledgement numbers on both sides
 * so tshark's TCP analysis (ack RTT, reassembly for HTTP and TLS) sees a well-formed stream.
 */

import type { PcapPacket } from './file.js';
import {
  ETHERTYPE_IPV4,
  ethernet,
  IPPROTO_TCP,
  ipv4,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  tcp,
} from './frames.js';

/** One side of a conversation. */
export interface TcpEndpoint {
  mac: string;
  ip: string;
  port: number;
}

/** Builds frames of one IPv4 TCP conversation; each call returns the frame at time `micros`. */
export class TcpConversation {
  private clientNext: number;
  private serverNext: number;

  constructor(
    readonly client: TcpEndpoint,
    readonly server: TcpEndpoint,
    clientIsn = 1000,
    serverIsn = 5000,
  ) {
    this.clientNext = clientIsn;
    this.serverNext = serverIsn;
  }

  /** SYN from the client (consumes one sequence number). */
  syn(micros: number): PcapPacket {
    const packet = this.frame(true, micros, TCP_SYN, Buffer.alloc(0), false);
    this.clientNext += 1;
    return packet;
  }

  /** SYN+ACK from the server. */
  synAck(micros: number): PcapPacket {
    const packet = this.frame(false, micros, TCP_SYN | TCP_ACK, Buffer.alloc(0), true);
    this.serverNext += 1;
    return packet;
  }

  /** A bare ACK from `fromClient`'s side. */
  ack(fromClient: boolean, micros: number): PcapPacket {
    return this.frame(fromClient, micros, TCP_ACK, Buffer.alloc(0), true);
  }

  /** Data with PSH+ACK from one side. */
  data(fromClient: boolean, micros: number, payload: Buffer): PcapPacket {
    const packet = this.frame(fromClient, micros, TCP_PSH | TCP_ACK, payload, true);
    if (fromClient) this.clientNext += payload.length;
    else this.serverNext += payload.length;
    return packet;
  }

  /** FIN+ACK from one side (consumes one sequence number). */
  fin(fromClient: boolean, micros: number): PcapPacket {
    const packet = this.frame(fromClient, micros, TCP_FIN | TCP_ACK, Buffer.alloc(0), true);
    if (fromClient) this.clientNext += 1;
    else this.serverNext += 1;
    return packet;
  }

  /** Any segment with explicit flags from one side (no sequence space consumed). */
  segment(fromClient: boolean, micros: number, flags: number): PcapPacket {
    return this.frame(fromClient, micros, flags, Buffer.alloc(0), (flags & TCP_ACK) !== 0);
  }

  private frame(
    fromClient: boolean,
    micros: number,
    flags: number,
    payload: Buffer,
    withAck: boolean,
  ): PcapPacket {
    const from = fromClient ? this.client : this.server;
    const to = fromClient ? this.server : this.client;
    const segment = tcp({
      srcPort: from.port,
      dstPort: to.port,
      seq: fromClient ? this.clientNext : this.serverNext,
      ack: withAck ? (fromClient ? this.serverNext : this.clientNext) : 0,
      flags,
      payload,
    });
    return {
      timestampMicros: micros,
      frame: ethernet(from.mac, to.mac, ETHERTYPE_IPV4, ipv4(from.ip, to.ip, IPPROTO_TCP, segment)),
    };
  }
}
