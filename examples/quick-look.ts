/**
 * The README's quick look, runnable: routing by layer and per-source windowed statistics on the
 * embedded runtime.
 *
 *   npx tsx examples/quick-look.ts
 */
import { StreamsApp, StreamsBuilder, stats, windows } from '../src/index.js';

interface Packet {
  srcIp: string;
  dstPort: number;
  length: number;
  topLayer: string;
}

const builder = new StreamsBuilder();
const packets = builder.stream<string, Packet>('network-packets'); // key: source IP

// Route by protocol layer to a fixed set of topics (nothing in a packet can create a topic).
packets.routeByLayer({
  tcp: 'packets.tcp',
  udp: 'packets.udp',
  dns: 'packets.dns',
  default: 'packets.other',
});

// Per source: 5-minute windows every minute, 30 s grace, several statistics in one typed object.
const perSource = packets
  .groupByKey()
  .windowedBy(windows.hopping({ size: '5m', advance: '1m', grace: '30s' }))
  .aggregate(
    stats.combine({
      packets: stats.count<Packet>(),
      bytes: stats.sum((p: Packet) => p.length),
      ports: stats.distinctCount((p: Packet) => p.dstPort),
    }),
  );
perSource
  .toStream()
  .filter((_, s) => s.packets > 1000 || s.ports > 100)
  .forEach((w, s) => {
    console.log(`${w.key} in ${new Date(w.window.start).toISOString()}: ${JSON.stringify(s)}`);
  });
perSource.lateRecords().to('late-packets'); // late data is kept, not lost

const app = new StreamsApp(builder.build(), { applicationId: 'netmon', stateDir: '.state/examples' });
await app.start();

// A port scan: one source probing 150 ports within a minute, and some ordinary traffic.
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const scan = Array.from({ length: 150 }, (_, i) => ({
  key: '203.0.113.9',
  value: { srcIp: '203.0.113.9', dstPort: 1000 + i, length: 60, topLayer: 'tcp' },
  timestamp: t0 + i * 100,
}));
const normal = Array.from({ length: 20 }, (_, i) => ({
  key: '10.0.0.5',
  value: { srcIp: '10.0.0.5', dstPort: 53, length: 80, topLayer: 'dns' },
  timestamp: t0 + i * 500,
}));
app.send(
  'network-packets',
  [...scan, ...normal].sort((a, b) => a.timestamp - b.timestamp),
);
await app.whenDone();
console.log(
  `packets.tcp: ${app.log.endOffset('packets.tcp', 0)}, packets.dns: ${app.log.endOffset('packets.dns', 0)}`,
);
await app.close();
