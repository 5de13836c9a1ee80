import { describe, expect, it } from 'vitest';
import { hostObservations, serviceSidePort } from '../../../examples/network-monitor/monitor/index.js';
import { dnsAnswer, packet, tcp } from './packets.js';

describe('host observations (attribution)', () => {
  it('gives a SYN-ACK to its sender (tcpSynAck) and to its receiver (tcpSynAckReceived)', () => {
    const synAck = tcp(0, '10.0.0.1', 80, '10.0.0.2', 40000, { syn: true, ack: true });
    const [sender, receiver] = hostObservations(synAck);
    expect(sender).toMatchObject({
      key: '10.0.0.1',
      value: { sent: 1, synAck: 1, syn: 0, synAckReceived: 0 },
    });
    expect(receiver).toMatchObject({
      key: '10.0.0.2',
      value: { sent: 0, synAckReceived: 1, synAck: 0, bytes: 0 },
    });
  });

  it('gives an NXDOMAIN answer to the client that asked, and its response time to the server', () => {
    const [server, client] = hostObservations(dnsAnswer(0, '10.0.0.53', '10.0.0.9', 3, 12.5));
    expect(server).toMatchObject({
      key: '10.0.0.53',
      value: { sent: 1, nxdomain: 0, responseSumMs: 12.5, responseCount: 1, responseMaxMs: 12.5 },
    });
    expect(client).toMatchObject({ key: '10.0.0.9', value: { sent: 0, nxdomain: 1, responseCount: 0 } });
  });

  it('gives the receiver nothing for ordinary packets (no repartition traffic for them)', () => {
    expect(hostObservations(tcp(0, '10.0.0.1', 40000, '10.0.0.2', 443))).toHaveLength(1);
    expect(hostObservations(dnsAnswer(0, '10.0.0.53', '10.0.0.9', 0))).toHaveLength(1);
    expect(hostObservations(tcp(0, '10.0.0.1', 40000, '10.0.0.2', 443, { syn: true }))).toHaveLength(1);
  });

  it('counts a SYN without ACK as a connection attempt', () => {
    const [obs] = hostObservations(tcp(0, '10.0.0.1', 40000, '10.0.0.2', 22, { syn: true }));
    expect(obs!.value).toMatchObject({ syn: 1, synAck: 0, dstPort: 22, dstHost: '10.0.0.2' });
  });

  it('keys frames without IP by MAC', () => {
    const arp = packet(0, { ipVersion: undefined, srcMac: '02:00:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff' });
    expect(hostObservations(arp).map((o) => o.key)).toEqual(['02:00:00:00:00:01']);
  });

  it('sums every response time a packet carries and keeps the largest', () => {
    const p = packet(0, {
      srcIp: '10.0.0.80',
      tcpAckRttMs: 3,
      httpResponseTimeMs: 250,
      dnsResponseTimeMs: undefined,
    });
    expect(hostObservations(p)[0]!.value).toMatchObject({
      responseSumMs: 253,
      responseCount: 2,
      responseMaxMs: 250,
    });
    const none = hostObservations(packet(0, { srcIp: '10.0.0.80' }))[0]!.value;
    expect(none.responseCount).toBe(0);
    expect(none.responseMaxMs).toBeNaN();
  });

  it('counts only service-side destination ports', () => {
    expect(serviceSidePort(tcp(0, 'a', 50000, 'b', 8080, { syn: true }))).toBe(8080); // attempt
    expect(serviceSidePort(tcp(0, 'a', 50000, 'b', 8080, { rst: true }))).toBe(8080); // probe without ACK
    expect(serviceSidePort(tcp(0, 'b', 8080, 'a', 50000, { ack: true }))).toBeNull(); // reply
    expect(serviceSidePort(tcp(0, 'a', 50000, 'b', 443, { ack: true }))).toBeNull(); // established: not an attempt
    expect(serviceSidePort(dnsAnswer(0, 'dns', 'client', 0))).toBeNull(); // 53 -> 40000
    const query = packet(0, { srcIp: 'client', dstIp: 'dns', srcPort: 40000, dstPort: 53 });
    expect(serviceSidePort(query)).toBe(53);
    expect(serviceSidePort(packet(0, { srcIp: 'a' }))).toBeNull(); // no ports (ICMP, ARP)
  });
});
