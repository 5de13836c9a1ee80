/** Building captures in code: the pcap file format, frame and protocol builders, TCP conversations. */
export * from './file.js';
export * from './frames.js';
export * from './protocols.js';
export * from './tcp-conversation.js';
