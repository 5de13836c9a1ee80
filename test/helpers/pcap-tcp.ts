/** The TCP conversation builder, now in examples/network-monitor/traffic/pcap/tcp-conversation.ts. */
export * from '../../examples/network-monitor/traffic/pcap/tcp-conversation.js';
