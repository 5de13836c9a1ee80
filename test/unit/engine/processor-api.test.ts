import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { Processor, ProcessorContext } from '../../../src/runtime/processor.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import type { KeyValueStore } from '../../../src/state/store.js';

/** Counts bytes per key in a store; emits totals every 10 s of stream time and a heartbeat every 1 s of wall clock. */
class ByteCounter implements Processor<string, number, string, string> {
  private store!: KeyValueStore<string, number>;
  closed = false;

  init(context: ProcessorContext<string, string>): void {
    this.store = context.getStateStore<KeyValueStore<string, number>>('bytes');
    context.schedule(10_000, 'stream-time', (t) => {
      for (const { key, value } of this.store.all())
        context.forward({ key, value: `total=${value}`, timestamp: t });
    });
    context.schedule(1000, 'wall-clock', (now) =>
      context.forward({ key: 'heartbeat', value: `${now}`, timestamp: now }),
    );
  }

  process(record: StreamRecord<string, number>): void {
    this.store.put(record.key, (this.store.get(record.key) ?? 0) + record.value);
  }

  close(): void {
    this.closed = true;
  }
}

describe('custom processors', () => {
  it('get store access, stream-time and wall-clock punctuation, and forward to children', async () => {
    const b = new StreamsBuilder();
    b.addStateStore({ name: 'bytes', kind: 'key-value', backend: 'memory' });
    const instances: ByteCounter[] = [];
    b.stream<string, number>('in')
      .process(() => {
        const p = new ByteCounter();
        instances.push(p);
        return p;
      }, 'bytes')
      .to('out');
    const driver = await TopologyTestDriver.create(b.build(), { wallClockStart: 0 });
    const input = driver.createInputTopic<string, number>('in');
    const out = driver.createOutputTopic<string, string>('out');
    input.pipeInput('a', 100, 1_000); // first record: stream-time punctuation due at 11,000
    input.pipeInput('b', 50, 5_000);
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('a', 1, 11_000);
    expect(out.readKeyValues()).toEqual([
      { key: 'a', value: 'total=101' },
      { key: 'b', value: 'total=50' },
    ]);
    driver.advanceWallClockTime(999);
    expect(out.isEmpty()).toBe(true);
    driver.advanceWallClockTime(1);
    expect(out.readKeyValues()).toEqual([{ key: 'heartbeat', value: '1000' }]);
    expect(driver.getStateStore<KeyValueStore<string, number>>('bytes').get('a')).toBe(101);
    await driver.close();
    expect(instances).toHaveLength(1);
    expect(instances[0]?.closed).toBe(true);
  });

  it('a processor that asks for a store it is not connected to gets a clear error', async () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('in').process(() => ({
      init: (ctx: ProcessorContext<string, number>) => {
        ctx.getStateStore('missing');
      },
      process: () => {},
    }));
    await expect(TopologyTestDriver.create(b.build())).rejects.toThrow(
      /asked for state store "missing" but is not connected to it/,
    );
  });
});

describe('stateful DSL operators', () => {
  it('count and reduce per key, with groupBy repartitioning by the new key', async () => {
    const b = new StreamsBuilder();
    const packets = b.stream<string, { dst: string; len: number }>('packets');
    packets
      .groupBy((_, p) => p.dst)
      .count({ name: 'per-dst' })
      .toStream()
      .to('counts');
    packets
      .mapValues((p) => p.len)
      .groupByKey()
      .reduce((a, v) => a + v)
      .toStream()
      .to('bytes');
    const topology = b.build();
    expect(topology.internalTopics().length).toBe(1);
    const driver = await TopologyTestDriver.create(topology);
    const input = driver.createInputTopic<string, { dst: string; len: number }>('packets');
    input.pipeInput('10.0.0.1', { dst: 'x', len: 10 }, 1);
    input.pipeInput('10.0.0.2', { dst: 'x', len: 20 }, 2);
    input.pipeInput('10.0.0.1', { dst: 'y', len: 30 }, 3);
    expect(driver.createOutputTopic('counts').readKeyValues()).toEqual([
      { key: 'x', value: 1 },
      { key: 'x', value: 2 },
      { key: 'y', value: 1 },
    ]);
    expect(driver.createOutputTopic('bytes').readKeyValues()).toEqual([
      { key: '10.0.0.1', value: 10 },
      { key: '10.0.0.2', value: 20 },
      { key: '10.0.0.1', value: 40 },
    ]);
  });

  it('stream-table join (inner and left), with records on either side arriving first', async () => {
    const b = new StreamsBuilder();
    const hosts = b.table<string, string>('hosts');
    const packets = b.stream<string, number>('packets');
    packets.join(hosts, (len, host) => `${host}:${len}`).to('joined');
    packets.leftJoin(hosts, (len, host) => `${host ?? '?'}:${len}`).to('left-joined');
    const driver = await TopologyTestDriver.create(b.build());
    const hostsIn = driver.createInputTopic<string, string | null>('hosts');
    const packetsIn = driver.createInputTopic<string, number>('packets');
    packetsIn.pipeInput('10.0.0.1', 1, 1); // table empty: inner drops, left emits ?
    hostsIn.pipeInput('10.0.0.1', 'alpha', 2);
    packetsIn.pipeInput('10.0.0.1', 2, 3);
    hostsIn.pipeInput('10.0.0.1', 'beta', 4); // a table update does not re-emit old stream records
    packetsIn.pipeInput('10.0.0.1', 3, 5);
    hostsIn.pipeInput('10.0.0.1', null, 6); // delete
    packetsIn.pipeInput('10.0.0.1', 4, 7);
    expect(driver.createOutputTopic('joined').readValues()).toEqual(['alpha:2', 'beta:3']);
    expect(driver.createOutputTopic('left-joined').readValues()).toEqual(['?:1', 'alpha:2', 'beta:3', '?:4']);
  });

  it('KTable mapValues and filter forward updates and deletes', async () => {
    const b = new StreamsBuilder();
    const counts = b.stream<string, number>('in').groupByKey().count();
    counts
      .mapValues((n) => n * 10)
      .filter((_, v) => v >= 20)
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(b.build());
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 0, 1);
    input.pipeInput('a', 0, 2);
    input.pipeInput('b', 0, 3);
    // a:10 fails the filter -> delete (null); a:20 passes; b:10 fails -> delete.
    expect(driver.createOutputTopic('out').readKeyValues()).toEqual([
      { key: 'a', value: null },
      { key: 'a', value: 20 },
      { key: 'b', value: null },
    ]);
  });
});
