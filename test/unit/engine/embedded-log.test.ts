import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { EmbeddedLog } from '../../../src/runtime/embedded/embedded-log.js';
import { murmur2 } from '../../../src/runtime/embedded/partitioner.js';

describe('EmbeddedLog', () => {
  it('keeps only the latest records of a topic nobody reads, counting what it dropped', () => {
    const log = new EmbeddedLog({ retainUnreadRecords: 10_000 });
    log.createTopic('out', 1);
    for (let i = 0; i < 25_000; i++) log.append('out', { key: 'k', value: i, timestamp: i });
    expect(log.endOffset('out', 0)).toBe(25_000);
    const kept = log.read('out', 0, 0, 100_000);
    expect(kept.length).toBeGreaterThanOrEqual(10_000);
    expect(kept.length).toBeLessThan(10_000 + 4096 + 1);
    expect(kept.at(-1)?.value).toBe(24_999);
    expect(log.truncatedUnread()).toBe(25_000 - kept.length);
  });

  it('never drops records of a topic a group reads before the group has read them', async () => {
    const log = new EmbeddedLog({ retainUnreadRecords: 100 });
    const b = new StreamsBuilder();
    let seen = 0;
    b.stream<string, number>('in').forEach(() => {
      seen++;
    });
    const app = new StreamsApp(b.build(), {
      applicationId: 'reader',
      log,
      stateDir: '.state/test-embedded-log',
    });
    await app.start();
    app.send(
      'in',
      Array.from({ length: 5000 }, (_, i) => ({ key: 'k', value: i, timestamp: i })),
    );
    await app.whenDone();
    await app.close();
    expect(seen).toBe(5000);
    expect(log.truncatedUnread()).toBe(0);
  });

  it('partitions keys like Kafka: murmur2 matches the Java client on known vectors', () => {
    // Vectors from Kafka's own partitioner tests (Utils.murmur2 of UTF-8 bytes).
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([97, 98, 99]))).toBe(479470107);
  });
});
