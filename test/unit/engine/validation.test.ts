import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { PassThroughProcessor } from '../../../src/operators/pass-through.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import { TopologyError } from '../../../src/runtime/errors.js';
import { Topology } from '../../../src/runtime/topology/topology.js';

describe('build() rejects topologies that cannot run, naming the node', () => {
  it('a stream with no sink', () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('in').mapValues((v) => v + 1);
    expect(() => b.build()).toThrow(/The stream ending at "map-values-2" has no sink/);
  });

  it('two nodes with one name', () => {
    const b = new StreamsBuilder();
    const s = b.stream<string, number>('in', { name: 'packets' });
    expect(() => b.stream<string, number>('other', { name: 'packets' })).toThrow(
      /A node named "packets" already exists/,
    );
    s.to('out');
  });

  it('two stores with one name', () => {
    const b = new StreamsBuilder();
    const grouped = b.stream<string, number>('in').groupByKey();
    grouped.count({ storeName: 'counts' });
    expect(() => grouped.reduce((a, v) => a + v, { storeName: 'counts' })).toThrow(
      /A state store named "counts" already exists/,
    );
  });

  it('a cycle through a topic', () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('loop', { name: 'loop-source' })
      .mapValues((v) => v + 1)
      .to('loop', { name: 'loop-sink' });
    let error: unknown;
    try {
      b.build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as Error).message).toMatch(
      /cycle: loop-source -> map-values-\d+ -> loop-sink -> loop-source/,
    );
  });

  it('a cycle through a topic across two streams', () => {
    const t = new Topology()
      .addSource('a-src', 'a')
      .addProcessor('a-proc', () => new PassThroughProcessor(), 'a-src')
      .addSink('a-to-b', 'b', 'a-proc')
      .addSource('b-src', 'b')
      .addSink('b-to-a', 'a', 'b-src');
    expect(() => t.validate()).toThrow(/cycle/);
  });

  it('a join of streams that are not co-partitioned', () => {
    const b = new StreamsBuilder();
    const left = b.stream<string, number>('left', { partitions: 3 });
    const right = b.stream<string, number>('right', { partitions: 4 });
    left.join(right, (l, r) => l + r, windows.join({ within: '5s' })).to('out');
    expect(() => b.build()).toThrow(/not co-partitioned: .*left \(3\), right \(4\)/);
  });

  it('a stream-table join of topics that are not co-partitioned', () => {
    const b = new StreamsBuilder();
    const table = b.table<string, string>('hosts', { partitions: 2 });
    b.stream<string, number>('packets', { partitions: 6 })
      .join(table, (v, host) => `${host}:${v}`)
      .to('out');
    expect(() => b.build()).toThrow(/join-table-\d+: the joined streams are not co-partitioned/);
  });

  it('a topology cannot change after build()', () => {
    const b = new StreamsBuilder();
    const s = b.stream<string, number>('in');
    s.to('out');
    b.build();
    expect(() => s.to('more')).toThrow(/already built/);
  });
});

describe('describe()', () => {
  it('prints sub-topologies with sources, processors, stores, sinks and repartition topics', () => {
    const b = new StreamsBuilder();
    b.stream<string, { src: string }>('packets')
      .groupBy((_, p) => p.src)
      .windowedBy(windows.hopping({ size: '5m', advance: '1m', grace: '30s' }))
      .count({ name: 'per-source' })
      .toStream()
      .to('counts');
    const text = b.build().describe();
    expect(text).toContain('Sub-topology 0');
    expect(text).toContain('Sub-topology 1');
    expect(text).toContain('Source     source-1 (topic: packets)');
    expect(text).toMatch(/Sink {7}repartition-\d+-sink \(topic: repartition-\d+-repartition\)/);
    expect(text).toContain(
      'Processor  per-source [window-aggregate (hopping 5m/1m, grace 30s, emit eager)] (stores: per-source-store)',
    );
    expect(text).toContain('per-source-store (window, memory, retention 330000 ms)');
    expect(text).toMatch(/Internal topics\n {4}repartition-\d+-repartition/);
  });
});
