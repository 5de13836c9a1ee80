/**
 * Joins: enrich packets with a host-name table (stream-table join), and pair DNS queries with the
 * TCP connections that follow them within 5 seconds (windowed stream-stream join). Runs embedded.
 *
 *   npx tsx examples/join.ts
 */
import { StreamsApp, StreamsBuilder, windows } from '../src/index.js';

const builder = new StreamsBuilder();

// Stream-table: the latest host name per IP, joined to each packet from that IP.
const hosts = builder.table<string, string>('host-names');
builder
  .stream<string, { bytes: number }>('packets')
  .leftJoin(hosts, (packet, host, ip) => `${host ?? ip} sent ${packet.bytes} bytes`)
  .forEach((_, line) => {
    console.log(`enriched: ${line}`);
  });

// Stream-stream: a DNS lookup and a connection from the same client within 5 s of each other.
const lookups = builder.stream<string, { name: string }>('dns-lookups');
const connects = builder.stream<string, { dstPort: number }>('tcp-connects');
lookups
  .join(
    connects,
    (lookup, connect) => `${lookup.name} -> port ${connect.dstPort}`,
    windows.join({ within: '5s' }),
  )
  .forEach((client, line) => {
    console.log(`resolved then connected: ${client} ${line}`);
  });

const app = new StreamsApp(builder.build(), { applicationId: 'join-example', stateDir: '.state/examples' });
await app.start();
app.send('host-names', [{ key: '10.0.0.1', value: 'build-server', timestamp: 0 }]);
app.send('packets', [
  { key: '10.0.0.1', value: { bytes: 1500 }, timestamp: 1000 },
  { key: '10.0.0.9', value: { bytes: 60 }, timestamp: 1000 },
]);
app.send('dns-lookups', [{ key: '10.0.0.1', value: { name: 'registry.example' }, timestamp: 10_000 }]);
app.send('tcp-connects', [
  { key: '10.0.0.1', value: { dstPort: 443 }, timestamp: 12_000 }, // within 5 s: joins
  { key: '10.0.0.1', value: { dstPort: 22 }, timestamp: 30_000 }, // too late: no join
]);
await app.whenDone();
await app.close();
