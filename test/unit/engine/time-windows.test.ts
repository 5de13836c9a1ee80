/**
 * Tumbling and hopping windows, worked out by hand from Kafka Streams' documented semantics:
 * windows aligned to the epoch, start inclusive and end exclusive, a record in every hopping window
 * that covers it, a window closed once stream time >= end + grace, later records are late.
 */
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { StreamRecord, Windowed } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';

type Out = StreamRecord<Windowed<string>, number>;
const show = (r: Out) => `${r.key.key}@[${r.key.window.start},${r.key.window.end})=${r.value}`;

async function countTopology(
  spec: ReturnType<typeof windows.hopping>,
  emit: 'eager' | 'final',
  idle?: number,
) {
  const b = new StreamsBuilder();
  let windowed = b.stream<string, number>('in').groupByKey().windowedBy(spec).emit(emit);
  if (idle !== undefined) windowed = windowed.idleClose(idle);
  const table = windowed.count({ name: 'counts' });
  table.toStream().to('out');
  table.lateRecords().to('late');
  return TopologyTestDriver.create(b.build());
}

describe('tumbling windows', () => {
  it('puts a record at the start boundary into the next window (end exclusive)', async () => {
    const driver = await countTopology(windows.tumbling({ size: 10 }), 'eager');
    const input = driver.createInputTopic<string, number>('in');
    for (const t of [0, 9, 10, 19, 20]) input.pipeInput('a', 1, t);
    expect(driver.createOutputTopic<Windowed<string>, number>('out').readRecords().map(show)).toEqual([
      'a@[0,10)=1',
      'a@[0,10)=2',
      'a@[10,20)=1',
      'a@[10,20)=2',
      'a@[20,30)=1',
    ]);
  });
});

describe('hopping windows (size 10, advance 5, grace 2)', () => {
  const spec = windows.hopping({ size: 10, advance: 5, grace: 2 });
  // Input for key a: t=1, 7, 12, then out of order 9 and 3; then key b at 25.
  //  t=1  -> [0,10)                       stream time 1
  //  t=7  -> [0,10), [5,15)               stream time 7
  //  t=12 -> [5,15), [10,20)              stream time 12, close time 12-2=10: [0,10) is now closed
  //  t=9  -> [0,10) late, [5,15) on time  (one window missed: the record counts as late once)
  //  t=3  -> [0,10) only, late            (dropped entirely)
  //  t=25 (b) -> [20,30), [25,35)         stream time 25, close time 23: [5,15) and [10,20) close
  const feed = (driver: TopologyTestDriver) => {
    const input = driver.createInputTopic<string, number>('in');
    for (const t of [1, 7, 12, 9, 3]) input.pipeInput('a', t, t);
    input.pipeInput('b', 25, 25);
  };

  it('eager: emits every window update at once, and routes late records to the late output', async () => {
    const driver = await countTopology(spec, 'eager');
    feed(driver);
    expect(driver.createOutputTopic<Windowed<string>, number>('out').readRecords().map(show)).toEqual([
      'a@[0,10)=1',
      'a@[0,10)=2',
      'a@[5,15)=1',
      'a@[5,15)=2',
      'a@[10,20)=1',
      'a@[5,15)=3',
      'b@[20,30)=1',
      'b@[25,35)=1',
    ]);
    expect(driver.createOutputTopic<string, number>('late').readValues()).toEqual([9, 3]);
    expect(driver.metrics().get('counts.late-records')).toBe(2);
  });

  it('final: emits one result per window when stream time passes end + grace', async () => {
    const driver = await countTopology(spec, 'final');
    const input = driver.createInputTopic<string, number>('in');
    const out = driver.createOutputTopic<Windowed<string>, number>('out');
    input.pipeInput('a', 1, 1);
    input.pipeInput('a', 7, 7);
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('a', 11, 11); // close time 9: nothing closes yet ([0,10) needs stream time >= 12)
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('a', 12, 12); // close time 10: [0,10) closes with a's 2 records
    expect(out.readRecords().map(show)).toEqual(['a@[0,10)=2']);
    input.pipeInput('a', 9, 9); // late for [0,10), counted in [5,15)
    input.pipeInput('b', 25, 25);
    const closed = out.readRecords();
    expect(closed.map(show)).toEqual(['a@[5,15)=4', 'a@[10,20)=2']);
    // Final results carry the window's last instant as their timestamp.
    expect(closed.map((r) => r.timestamp)).toEqual([14, 19]);
    expect(driver.createOutputTopic<string, number>('late').readValues()).toEqual([9]);
    // Emitted windows leave the store; b's windows are still open.
    const store =
      driver.getStateStore<import('../../../src/state/store.js').WindowStore<string, number>>('counts-store');
    expect([...store.all()].map((e) => `${e.key}@${e.windowStart}`)).toEqual(['b@20', 'b@25']);
  });

  it('idle close: wall-clock time closes the windows of a quiet partition', async () => {
    const driver = await countTopology(spec, 'final', 1000);
    const input = driver.createInputTopic<string, number>('in');
    const out = driver.createOutputTopic<Windowed<string>, number>('out');
    input.pipeInput('a', 1, 1);
    driver.advanceWallClockTime(500);
    expect(out.isEmpty()).toBe(true); // not idle long enough
    driver.advanceWallClockTime(600); // idle 1100 ms: stream time moves 1 + 1100 = 1101 -> all a's windows close
    expect(out.readRecords().map(show)).toEqual(['a@[0,10)=1']);
    expect(driver.metrics().get('counts.idle-advances')).toBe(1);
    input.pipeInput('a', 4, 4); // its window closed by the idle advance: late, not lost
    expect(driver.createOutputTopic<string, number>('late').readValues()).toEqual([4]);
  });

  it('rejects an advance larger than the size at build(), naming the node', () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('in')
      .groupByKey()
      .windowedBy(windows.hopping({ size: '1m', advance: '5m' }))
      .count({ name: 'bad-window' });
    expect(() => b.build()).toThrow(/bad-window: window advance \(5m\) is larger than its size \(1m\)/);
  });
});

describe('aggregate with a combined Aggregator', () => {
  it('computes count, sum, max and avg per key and window in one typed object', async () => {
    const { stats } = await import('../../../src/aggregations/index.js');
    const b = new StreamsBuilder();
    b.stream<string, { bytes: number }>('in')
      .groupByKey()
      .windowedBy(windows.tumbling({ size: '1m' }))
      .aggregate(
        stats.combine({
          packets: stats.count<{ bytes: number }>(),
          bytes: stats.sum((p: { bytes: number }) => p.bytes),
          maxBytes: stats.max((p: { bytes: number }) => p.bytes),
        }),
      )
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(b.build());
    const input = driver.createInputTopic<string, { bytes: number }>('in');
    input.pipeInput('10.0.0.1', { bytes: 100 }, 1_000);
    input.pipeInput('10.0.0.1', { bytes: 300 }, 2_000);
    input.pipeInput('10.0.0.2', { bytes: 50 }, 3_000);
    const values = driver
      .createOutputTopic<Windowed<string>, { packets: number; bytes: number; maxBytes: number | null }>('out')
      .readValues();
    expect(values).toEqual([
      { packets: 1, bytes: 100, maxBytes: 100 },
      { packets: 2, bytes: 400, maxBytes: 300 },
      { packets: 1, bytes: 50, maxBytes: 50 },
    ]);
  });
});
