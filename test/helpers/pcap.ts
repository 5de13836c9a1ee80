/** The pcap writer and frame builders, now in examples/network-monitor/traffic/pcap/ (the demo uses them too). */
export * from '../../examples/network-monitor/traffic/pcap/file.js';
export * from '../../examples/network-monitor/traffic/pcap/frames.js';
