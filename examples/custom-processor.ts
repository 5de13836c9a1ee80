/**
 * A custom operator on the Processor API (the same API every built-in operator uses): a SYN-flood
 * detector that counts TCP SYNs per source in a state store and reports sources over a threshold
 * every 10 seconds of stream time. Runs embedded.
 *
 *   npx tsx examples/custom-processor.ts
 */
import {
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type StreamRecord,
  StreamsApp,
  StreamsBuilder,
} from '../src/index.js';

interface TcpPacket {
  syn: boolean;
  ack: boolean;
}

class SynFloodDetector implements Processor<string, TcpPacket, string, string> {
  private syns!: KeyValueStore<string, number>;

  constructor(private readonly threshold: number) {}

  init(context: ProcessorContext<string, string>): void {
    this.syns = context.getStateStore<KeyValueStore<string, number>>('syn-counts');
    // Every 10 s of event time: report and reset.
    context.schedule(10_000, 'stream-time', (now) => {
      for (const { key, value } of this.syns.all()) {
        if (value > this.threshold)
          context.forward({ key, value: `${value} SYNs without ACK`, timestamp: now });
        this.syns.delete(key);
      }
    });
  }

  process(record: StreamRecord<string, TcpPacket>): void {
    if (!record.value.syn || record.value.ack) return;
    this.syns.put(record.key, (this.syns.get(record.key) ?? 0) + 1);
  }
}

const builder = new StreamsBuilder();
builder.addStateStore({ name: 'syn-counts', kind: 'key-value', backend: 'memory' });
builder
  .stream<string, TcpPacket>('tcp')
  .process(() => new SynFloodDetector(100), 'syn-counts')
  .forEach((src, alert) => {
    console.log(`ALERT possible SYN flood from ${src}: ${alert}`);
  });

const app = new StreamsApp(builder.build(), { applicationId: 'syn-flood', stateDir: '.state/examples' });
await app.start();
const records = [];
for (let i = 0; i < 500; i++)
  records.push({ key: '203.0.113.7', value: { syn: true, ack: false }, timestamp: i * 10 });
for (let i = 0; i < 20; i++)
  records.push({ key: '10.0.0.2', value: { syn: true, ack: false }, timestamp: i * 200 });
records.sort((a, b) => a.timestamp - b.timestamp);
records.push({ key: '10.0.0.2', value: { syn: false, ack: true }, timestamp: 12_000 }); // moves stream time past 10 s
app.send('tcp', records);
await app.whenDone();
await app.close();
