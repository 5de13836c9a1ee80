/**
 * End of input (`driver.endOfInput()`, `StreamsApp.endOfInput()`): a bounded input such as a pcap
 * replay ends, and what operators held back for later input is emitted: the open windows of
 * emit-final aggregations (time, sliding, session), the left-join records still waiting for a
 * partner; through repartition topics too. Eager aggregations and inner joins hold nothing back.
 * Expected outputs are worked out by hand from the same semantics as the other window tests.
 */
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import {
  type EmitMode,
  type SessionWindowSpec,
  type SlidingWindowSpec,
  type TimeWindowSpec,
  windows,
} from '../../../src/operators/windows/window-specs.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { TributaryError } from '../../../src/runtime/errors.js';
import type { Processor, ProcessorContext } from '../../../src/runtime/processor.js';
import type { StreamRecord, Windowed } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import { showWindowed } from './helpers.js';

type CountedWindows = TimeWindowSpec | SlidingWindowSpec | SessionWindowSpec;

/** in -> count per key in `spec` windows, emitted `emit` -> out, on a test driver. */
async function windowedCount(spec: CountedWindows, emit: EmitMode) {
  const b = new StreamsBuilder();
  const grouped = b.stream<string, number>('in').groupByKey();
  // The overloads of windowedBy split session windows from the others.
  const windowed = spec.type === 'session' ? grouped.windowedBy(spec) : grouped.windowedBy(spec);
  windowed.emit(emit).count().toStream().to('out');
  const driver = await TopologyTestDriver.create(b.build());
  return {
    driver,
    input: driver.createInputTopic<string, number>('in'),
    out: driver.createOutputTopic<Windowed<string>, number>('out'),
  };
}

const tumblingCount = (emit: EmitMode) => windowedCount(windows.tumbling({ size: 10, grace: 5 }), emit);

describe('end of input', () => {
  it('emit-final time windows: the windows still open are emitted once, at their end - 1', async () => {
    const { driver, input, out } = await tumblingCount('final');
    input.pipeInput('a', 0, 1);
    input.pipeInput('b', 0, 4);
    input.pipeInput('a', 0, 12);
    input.pipeInput('a', 0, 16); // stream time 16: [0,10) closes at 10 + grace 5 = 15
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,10)=1@9', 'b@[0,10)=1@9']);
    driver.endOfInput();
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[10,20)=2@19']);
    driver.endOfInput(); // nothing is held back any more
    expect(out.isEmpty()).toBe(true);
  });

  it('emit-eager time windows hold nothing back', async () => {
    const { driver, input, out } = await tumblingCount('eager');
    input.pipeInput('a', 0, 1);
    input.pipeInput('a', 0, 12);
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,10)=1@1', 'a@[10,20)=1@12']);
    driver.endOfInput();
    expect(out.isEmpty()).toBe(true);
  });

  it('emit-final hopping windows: every open window of every key', async () => {
    const { driver, input, out } = await windowedCount(
      windows.hopping({ size: 10, advance: 5, grace: 0 }),
      'final',
    );
    input.pipeInput('a', 0, 7); // windows [0,10) and [5,15)
    input.pipeInput('b', 0, 8); // windows [0,10) and [5,15)
    input.pipeInput('a', 0, 11); // [5,15) and [10,20); stream time 11 closes [0,10)
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,10)=1@9', 'b@[0,10)=1@9']);
    driver.endOfInput();
    expect(out.readRecords().map(showWindowed).sort()).toEqual([
      'a@[10,20)=1@19',
      'a@[5,15)=2@14',
      'b@[5,15)=1@14',
    ]);
  });

  it('emit-final session windows: open sessions are emitted', async () => {
    const { driver, input, out } = await windowedCount(windows.session({ gap: 10, grace: 0 }), 'final');
    input.pipeInput('a', 0, 100);
    input.pipeInput('a', 0, 105); // session a [100,105] (shown with an exclusive end)
    input.pipeInput('b', 0, 130); // closes a's session (105 < 130 - 10)
    expect(
      out.readRecords().map((r) => `${r.key.key}@${r.key.window.start}-${r.key.window.end}=${r.value}`),
    ).toEqual(['a@100-106=2']);
    driver.endOfInput();
    expect(
      out.readRecords().map((r) => `${r.key.key}@${r.key.window.start}-${r.key.window.end}=${r.value}`),
    ).toEqual(['b@130-131=1']);
  });

  it('emit-final sliding windows: open windows are emitted (grace 100: none closed before)', async () => {
    const { driver, input, out } = await windowedCount(
      windows.sliding({ timeDifference: 10, grace: 100 }),
      'final',
    );
    input.pipeInput('a', 0, 20); // left window [10,20] = {20}
    input.pipeInput('a', 0, 25); // [15,25] = {20,25}, right window of 20: [21,31] = {25}
    expect(out.isEmpty()).toBe(true);
    driver.endOfInput();
    expect(out.readRecords().map(showWindowed).sort()).toEqual([
      'a@[10,21)=1@20',
      'a@[15,26)=2@25',
      'a@[21,32)=1@25',
    ]);
  });

  it('left stream-stream join: records still waiting for a partner are emitted unmatched; inner joins emit nothing', async () => {
    for (const mode of ['left', 'inner'] as const) {
      const b = new StreamsBuilder();
      const left = b.stream<string, string>('left');
      const right = b.stream<string, string>('right');
      const joiner = (l: string, r: string | undefined) => `${l}+${r ?? 'none'}`;
      const window = windows.join({ within: 10 });
      (mode === 'left' ? left.leftJoin(right, joiner, window) : left.join(right, joiner, window)).to('out');
      const driver = await TopologyTestDriver.create(b.build());
      const out = driver.createOutputTopic<string, string>('out');
      driver.createInputTopic<string, string>('left').pipeInput('a', 'L1', 100);
      driver.createInputTopic<string, string>('left').pipeInput('b', 'L2', 101);
      driver.createInputTopic<string, string>('right').pipeInput('b', 'R2', 104);
      expect(out.readValues()).toEqual(['L2+R2']);
      driver.endOfInput();
      expect(out.readValues()).toEqual(mode === 'left' ? ['L1+none'] : []);
    }
  });

  it('flushes through a repartition topic: the downstream part flushes after what upstream emitted reached it', async () => {
    const b = new StreamsBuilder();
    // Upstream: per-key final counts in 10 ms windows; re-keyed by count, counted again downstream.
    b.stream<string, number>('in')
      .groupByKey()
      .windowedBy(windows.tumbling({ size: 10, grace: 0 }))
      .emit('final')
      .count()
      .toStream()
      .groupBy((_key, count) => `count=${count}`)
      .windowedBy(windows.tumbling({ size: 100, grace: 0 }))
      .emit('final')
      .count()
      .toStream()
      .to('out');
    const driver = await TopologyTestDriver.create(b.build());
    const input = driver.createInputTopic<string, number>('in');
    const out = driver.createOutputTopic<Windowed<string>, number>('out');
    input.pipeInput('a', 0, 1);
    input.pipeInput('a', 0, 2);
    input.pipeInput('b', 0, 3);
    input.pipeInput('c', 0, 4);
    input.pipeInput('c', 0, 5);
    expect(out.isEmpty()).toBe(true);
    driver.endOfInput();
    // Upstream emits a=2, b=1, c=2 (each at 9); downstream counts them by value in [0,100).
    expect(out.readRecords().map(showWindowed).sort()).toEqual([
      'count=1@[0,100)=1@99',
      'count=2@[0,100)=2@99',
    ]);
  });

  it('calls custom processors parents first, each once; what a parent forwards reaches the child first', async () => {
    const calls: string[] = [];
    class Holder implements Processor<string, string, string, string> {
      private context!: ProcessorContext<string, string>;
      private held: StreamRecord<string, string>[] = [];
      constructor(private readonly label: string) {}
      init(context: ProcessorContext<string, string>): void {
        this.context = context;
      }
      process(record: StreamRecord<string, string>): void {
        this.held.push({ ...record, value: `${record.value}>${this.label}` });
      }
      endOfInput(): void {
        calls.push(`${this.label}.endOfInput held=${this.held.length}`);
        for (const record of this.held.splice(0)) this.context.forward(record);
      }
    }
    const b = new StreamsBuilder();
    b.stream<string, string>('in')
      .process(() => new Holder('first'))
      .process(() => new Holder('second'))
      .to('out');
    const driver = await TopologyTestDriver.create(b.build());
    driver.createInputTopic<string, string>('in').pipeInput('k', 'v', 1);
    driver.endOfInput();
    expect(calls).toEqual(['first.endOfInput held=1', 'second.endOfInput held=1']);
    expect(driver.createOutputTopic<string, string>('out').readValues()).toEqual(['v>first>second']);
  });
});

describe('StreamsApp.endOfInput (embedded)', () => {
  it('waits for the input to be processed, then writes the windows still open to the sinks', async () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('in')
      .groupByKey()
      .windowedBy(windows.tumbling({ size: 1000, grace: 0 }))
      .emit('final')
      .count()
      .toStream()
      .to('out');
    const app = new StreamsApp(b.build(), { applicationId: 'end-of-input' });
    await app.start();
    try {
      app.send('in', [
        { key: 'a', value: 1, timestamp: 100 },
        { key: 'a', value: 1, timestamp: 200 },
        { key: 'b', value: 1, timestamp: 1500 },
      ]);
      await app.endOfInput();
      const results = app.log
        .read('out', 0, 0, 100)
        .map((r) => showWindowed(r as StreamRecord<Windowed<string>, unknown>))
        .sort();
      expect(results).toEqual(['a@[0,1000)=2@999', 'b@[1000,2000)=1@1999']);
    } finally {
      await app.close();
    }
  });

  it('is refused on Kafka, where the input never ends', async () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('in').to('out');
    const app = new StreamsApp(b.build(), {
      applicationId: 'end-of-input-kafka',
      kafka: { brokers: ['127.0.0.1:1'] },
    });
    await expect(app.endOfInput()).rejects.toThrow(TributaryError);
    await expect(app.endOfInput()).rejects.toThrow(/embedded runtime; on Kafka the input never ends/);
  });
});
