/**
 * A windowed count with a key change (so a repartition topic) over a 3-partition topic on the
 * real broker gives the same per-window counts as the TopologyTestDriver.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { AppState } from '../../../src/runtime/app/app-state.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { Windowed } from '../../../src/runtime/record.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

interface Flow {
  host: string;
  bytes: number;
}

function topology(input: string, output: string) {
  const b = new StreamsBuilder();
  b.stream<string | null, Flow>(input, { key: stringSerde, value: jsonSerde<Flow>() })
    .groupBy((_, flow) => flow.host)
    .windowedBy(windows.tumbling({ size: '10s', grace: '1h' }))
    .count({ name: 'flows-per-host' })
    .toStream()
    .to(output, { key: jsonSerde<Windowed<string>>(), value: jsonSerde<number>() });
  return b.build();
}

const show = (key: Windowed<string>) => `${key.key}@${key.window.start}`;

describe('StreamsApp on Kafka: windowed count', () => {
  it('counts per host and window as the test driver does, across 3 partitions and a repartition topic', async () => {
    const input = await createTopic('flows', 3);
    const output = uniqueName('flow-counts');
    const base = recentBase();
    const records = Array.from({ length: 600 }, (_, i) => ({
      key: `src-${i % 7}`,
      flow: { host: `10.0.0.${i % 13}`, bytes: i },
      timestamp: base + i * 100,
    }));
    await produce(
      input,
      records.map((r) => ({ key: r.key, value: JSON.stringify(r.flow), timestamp: r.timestamp })),
    );

    const driver = await TopologyTestDriver.create(topology(input, output));
    const pipe = driver.createInputTopic<string, Flow>(input);
    for (const r of records) pipe.pipeInput(r.key, r.flow, r.timestamp);
    const expected = new Map<string, number>();
    for (const r of driver.createOutputTopic<Windowed<string>, number>(output).readRecords())
      expected.set(show(r.key), r.value);
    await driver.close();
    expect(expected.size).toBe(13 * 6);

    const states: AppState[] = [];
    const app = new StreamsApp(topology(input, output), {
      applicationId: uniqueName('wcount'),
      stateDir: mkdtempSync(join(tmpdir(), 'tributary-kafka-')),
      kafka: { brokers: brokers() },
      commitIntervalMs: 200,
    });
    app.onStateChange((next) => states.push(next));
    await app.start();
    await app.whenDone();
    const latest = new Map<string, number>();
    const read = await readTopic(output, (rs) => {
      const r = rs[rs.length - 1]!;
      latest.set(show(JSON.parse(r.key!) as Windowed<string>), JSON.parse(r.value!) as number);
      return [...expected].every(([k, v]) => latest.get(k) === v);
    });
    const registry = app.metricsRegistry!;
    const metric = async (name: string) =>
      (await registry.getMetricsAsJSON()).find((m) => m.name === name)?.values ?? [];
    const recordsIn = await metric('tributary_records_in_total');
    const lags = await metric('tributary_consumer_lag');
    const tasks = await metric('tributary_tasks');
    const heldBack = await metric('tributary_backpressure_seconds_total');
    await app.close();

    // 600 input records, then 600 through the repartition topic.
    expect(recordsIn.map((v) => v.value)).toEqual([1200]);
    // Two sub-topologies (before and after the repartition topic) times 3 partitions.
    expect(tasks.map((v) => v.value)).toEqual([6]);
    expect(lags.length).toBe(6);
    expect(lags.every((v) => v.value === 0)).toBe(true);
    // Each input partition that had batches reports how long its outputs held it back.
    expect(heldBack.length).toBe(6);
    expect(heldBack.every((v) => v.value > 0)).toBe(true);
    expect(read.length).toBe(600);
    expect(new Map([...latest].sort())).toEqual(new Map([...expected].sort()));
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
    expect(app.metrics().get('records.in')).toBe(1200);
  });
});
