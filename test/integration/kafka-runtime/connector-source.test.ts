/** A source connector on Kafka: its records are produced to its topic (created by the app), then processed. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fromObservable } from '../../../src/connectors/rx/from-observable.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { readTopic, recentBase } from './kafka-test-io.js';

interface Packet {
  src: string;
  length: number;
}

describe('StreamsApp on Kafka: source connectors', () => {
  it('feeds a connector into its own topic and processes it from there', async () => {
    const base = recentBase();
    const packets: Packet[] = Array.from({ length: 250 }, (_, i) => ({ src: `10.0.0.${i % 5}`, length: i }));
    const captured = uniqueName('packets');
    const output = uniqueName('packet-bytes');
    const b = new StreamsBuilder();
    b.stream(
      fromObservable(from(packets), {
        name: 'capture',
        toRecord: (p: Packet) => ({ key: p.src, value: p, timestamp: base + p.length }),
      }),
      { topic: captured, key: stringSerde, value: jsonSerde<Packet>() },
    )
      .groupByKey()
      .aggregate(
        () => 0,
        (_, p, total: number) => total + p.length,
        { name: 'bytes' },
      )
      .toStream()
      .to(output, { key: stringSerde, value: jsonSerde<number>() });
    const app = new StreamsApp(b.build(), {
      applicationId: uniqueName('connector'),
      stateDir: mkdtempSync(join(tmpdir(), 'tributary-connector-')),
      commitIntervalMs: 200,
      kafka: { brokers: brokers() },
    });
    await app.start();
    await app.whenDone();
    const expected = new Map<string, number>();
    for (const p of packets) expected.set(p.src, (expected.get(p.src) ?? 0) + p.length);
    const last = new Map<string, number>();
    await readTopic(output, (rs) => {
      const r = rs[rs.length - 1]!;
      last.set(r.key!, JSON.parse(r.value!) as number);
      return [...expected].every(([k, v]) => last.get(k) === v);
    });
    const fed = await readTopic(captured, (rs) => rs.length >= 250);
    const metrics = app.metrics();
    await app.close();
    expect(new Map([...last].sort())).toEqual(new Map([...expected].sort()));
    expect(fed).toHaveLength(250);
    expect(JSON.parse(fed[0]!.value!)).toEqual(packets[0]);
    expect(metrics.get('source.capture.records')).toBe(250);
  });
});
