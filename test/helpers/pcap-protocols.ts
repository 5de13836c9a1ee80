/** Protocol builders (ARP, IPv6, DNS, HTTP, TLS), now in examples/network-monitor/traffic/pcap/protocols.ts. */
export * from '../../examples/network-monitor/traffic/pcap/protocols.js';
