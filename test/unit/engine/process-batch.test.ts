/**
 * Task.processBatch runs a whole batch under one `try` (see task.ts): these tests pin down that a
 * record that throws in the middle of a batch is handled exactly as when records come one by one:
 * the error door sees that record and its origin, every other record of the batch is processed in
 * order, and stream-time punctuators fire between the right records, outside any record's origin.
 */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { DEAD_LETTER_HEADERS, type ErrorPolicies } from '../../../src/runtime/error-policy.js';
import { ProcessingError } from '../../../src/runtime/errors.js';
import type { Processor, ProcessorContext } from '../../../src/runtime/processor.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { Task } from '../../../src/runtime/task/task.js';
import { createStore } from '../../../src/state/store-factory.js';
import { StateStoreWriteError } from '../../../src/state/store-write-error.js';

/**
 * Forwards `n * 10`; throws for negative values (a StateStoreWriteError for -99, as a persistent
 * store on a full disk does); every 100 ms of stream time forwards a marker.
 */
class Tens implements Processor<string, number, string, string> {
  private context!: ProcessorContext<string, string>;
  init(context: ProcessorContext<string, string>): void {
    this.context = context;
    context.schedule(100, 'stream-time', (t) => {
      const origin = context.recordOrigin;
      context.forward({
        key: 'tick',
        value: `tick@${t} origin=${origin ? origin.offset : 'none'}`,
        timestamp: t,
      });
    });
  }
  process(record: StreamRecord<string, number>): void {
    if (record.value === -99) throw new StateStoreWriteError('counts', '/state/counts', new Error('EIO'));
    if (record.value < 0) throw new Error(`negative ${record.value}`);
    this.context.forward({ key: record.key, value: String(record.value * 10), timestamp: record.timestamp });
  }
}

async function tensTask(errors: ErrorPolicies): Promise<Task> {
  const b = new StreamsBuilder();
  b.stream<string, number>('in')
    .process(() => new Tens())
    .to('out');
  const topology = b.build();
  return Task.create({
    applicationId: 'batch-test',
    topology,
    subtopology: topology.subtopologies()[0]!,
    partition: 0,
    stateDir: tmpdir(),
    storeFactory: createStore,
    clock: () => 0,
    errors,
    deadLetterTopic: 'batch-test-dead-letters',
  });
}

function batch(values: number[]): StreamRecord<string, number>[] {
  return values.map((value, offset) => ({
    key: `k${offset}`,
    value,
    timestamp: offset * 60,
    origin: { topic: 'in', partition: 0, offset },
  }));
}

function outputValues(task: Task): { out: unknown[]; dead: unknown[] } {
  const { sinks, deadLetters } = task.drainOutputs();
  return { out: sinks.flatMap((s) => s.records.map((r) => r.value)), dead: deadLetters.map((r) => r.value) };
}

describe('Task.processBatch', () => {
  it("'skip': poison records at the start, in the middle (twice in a row) and at the end lose nothing else", async () => {
    const task = await tensTask({ processing: 'skip' });
    task.processBatch('in', batch([-1, 1, 2, -2, -3, 3, -4]));
    // Timestamps 0,60,...,360. The punctuator starts counting at the first record (0, skipped): due at
    // 100, it fires after record 2 (t=120, next due 200), after record 4 (t=240: skipped, yet it moves
    // stream time; next due 300) and after record 5 (t=300); record 6 (t=360) is not due.
    expect(outputValues(task)).toEqual({
      out: ['10', '20', 'tick@120 origin=none', 'tick@240 origin=none', '30', 'tick@300 origin=none'],
      dead: [],
    });
    expect(task.counters.get('errors.processing.skipped')).toBe(4);
  });

  it("'dead-letter' receives exactly the poison records of a batch, each with its own origin", async () => {
    const task = await tensTask({ processing: 'dead-letter' });
    task.processBatch('in', batch([5, -1, 6, -2]), 0, 4);
    const { sinks, deadLetters } = task.drainOutputs();
    expect(sinks.flatMap((s) => s.records.map((r) => r.value))).toEqual(['50', '60', 'tick@120 origin=none']);
    expect(deadLetters.map((r) => [r.value, r.headers?.[DEAD_LETTER_HEADERS.offset]])).toEqual([
      [-1, '1'],
      [-2, '3'],
    ]);
    expect(deadLetters.map((r) => r.headers?.[DEAD_LETTER_HEADERS.error])).toEqual([
      'negative -1',
      'negative -2',
    ]);
  });

  it("'fail' throws at the poison record with its origin, after the records before it were processed", async () => {
    const task = await tensTask({});
    let error: unknown;
    try {
      task.processBatch('in', batch([1, 2, 3, -7, 4]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProcessingError);
    expect((error as ProcessingError).origin).toEqual({ topic: 'in', partition: 0, offset: 3 });
    expect((error as ProcessingError).message).toMatch(/negative -7/);
    expect(outputValues(task).out).toEqual(['10', '20', '30', 'tick@120 origin=none']);
  });

  it("a store that cannot write fails the batch whatever the policy ('skip' would lose its writes)", async () => {
    const task = await tensTask({ processing: 'skip' });
    expect(() => task.processBatch('in', batch([1, -1, -99, 2]))).toThrow(StateStoreWriteError);
    expect(outputValues(task).out).toEqual(['10']);
    expect(task.counters.get('errors.processing.skipped')).toBe(1);
  });

  it('processes only records[from..to) of the array it is given', async () => {
    const task = await tensTask({});
    task.processBatch('in', batch([1, 2, 3, 4, 5]), 1, 3);
    expect(outputValues(task).out).toEqual(['20', '30']);
  });

  it('names the topic it does not read', async () => {
    const task = await tensTask({});
    expect(() => task.processBatch('elsewhere', batch([1]))).toThrow(/does not read topic "elsewhere"/);
  });
});
