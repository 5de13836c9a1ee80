/**
 * Windowed count: packets per source IP in 1-minute tumbling windows, emitted once per window when
 * it closes (or when the input ends), plus the late records that missed their window. Runs
 * embedded: no broker needed.
 *
 *   npx tsx examples/windowed-count.ts
 */
import { StreamsApp, StreamsBuilder, type Windowed, windows } from '../src/index.js';

interface Packet {
  srcIp: string;
  length: number;
}

const builder = new StreamsBuilder();
const perSource = builder
  .stream<string, Packet>('packets')
  .groupByKey()
  .windowedBy(windows.tumbling({ size: '1m', grace: '10s' }))
  .emit('final')
  .count({ name: 'packets-per-source' });

perSource.toStream().forEach((key: Windowed<string>, count) => {
  const start = new Date(key.window.start).toISOString().slice(11, 19);
  console.log(`${key.key} sent ${count} packets in the minute from ${start}`);
});
perSource.lateRecords().forEach((ip, packet, record) => {
  console.log(`late: ${ip} ${packet.length} bytes at ${record.timestamp} arrived after its window closed`);
});

const app = new StreamsApp(builder.build(), { applicationId: 'windowed-count', stateDir: '.state/examples' });
await app.start();

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const send = (srcIp: string, secondsIn: number) =>
  app.send('packets', [{ key: srcIp, value: { srcIp, length: 100 }, timestamp: t0 + secondsIn * 1000 }]);
send('10.0.0.1', 1);
send('10.0.0.2', 5);
send('10.0.0.1', 59);
send('10.0.0.1', 61); // next window
send('10.0.0.2', 75); // stream time 75 s: the first window (0-60 s, grace 10 s) closes
send('10.0.0.3', 30); // 45 s behind stream time: its window closed, so it is late
send('10.0.0.1', 200); // closes the second window

// The input ends here: every window still open (the one from 12:03:00) is final now.
await app.endOfInput();
await app.close();
