/** FusedChain: stages run in order, any stage can drop a record, and a throw names its own stage. */
import { describe, expect, it } from 'vitest';
import type { RecordTransformer } from '../../../src/runtime/processor.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { FusedChain, NodeFailure, type RecordReceiver } from '../../../src/runtime/task/processor-runner.js';

type Rec = StreamRecord<unknown, unknown>;
type Stage = RecordTransformer<unknown, unknown, unknown, unknown>;

/** A stage that appends its name to the value, drops values containing `dropOn`, throws on `throwOn`. */
function stage(name: string, dropOn?: string, throwOn?: string): Stage {
  return {
    apply(record: Rec) {
      const value = `${String(record.value)}>${name}`;
      if (throwOn !== undefined && value.includes(throwOn)) throw new Error(`${name} cannot take ${value}`);
      if (dropOn !== undefined && String(record.value).includes(dropOn)) return undefined;
      return { ...record, value };
    },
  };
}

function collector(): RecordReceiver & { got: unknown[] } {
  const got: unknown[] = [];
  return { name: 'sink', got, receive: (record: Rec) => got.push(record.value) };
}

/** Builds the chain the way Task.wire does: prepending from the last stage to the first. */
function chain(stages: Array<[string, Stage]>, next: RecordReceiver): FusedChain {
  let receiver: RecordReceiver = next;
  for (const [name, s] of [...stages].reverse()) receiver = FusedChain.prepend(name, s, receiver);
  return receiver as FusedChain;
}

const record = (value: string): Rec => ({ key: 'k', value, timestamp: 1 });

describe('FusedChain', () => {
  it.each([1, 2, 3, 4, 5, 7])('runs %i stages in order and hands the result on', (count) => {
    const names = Array.from({ length: count }, (_, i) => `s${i}`);
    const sink = collector();
    const fused = chain(
      names.map((n) => [n, stage(n)]),
      sink,
    );
    fused.receive(record('in'));
    expect(sink.got).toEqual([['in', ...names].join('>')]);
  });

  it('drops a record at whichever stage returns undefined, before or after the fourth', () => {
    const sink = collector();
    const names = ['s0', 's1', 's2', 's3', 's4', 's5'];
    const fused = chain(
      names.map((n, i) => [n, stage(n, i === 1 ? 'drop1' : i === 5 ? 'drop5' : undefined)]),
      sink,
    );
    for (const v of ['keep', 'drop1', 'drop5', 'again']) fused.receive(record(v));
    expect(sink.got).toEqual([`keep>${names.join('>')}`, `again>${names.join('>')}`]);
  });

  it.each([
    [0, 'x>s0'],
    [3, 'x>s0>s1>s2>s3'],
    [5, 'x>s0>s1>s2>s3>s4>s5'],
  ])('names stage %i when it throws', (index, text) => {
    const names = ['s0', 's1', 's2', 's3', 's4', 's5'];
    const fused = chain(
      names.map((n, i) => [n, stage(n, undefined, i === index ? text : undefined)]),
      collector(),
    );
    let caught: unknown;
    try {
      fused.receive(record('x'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NodeFailure);
    expect((caught as NodeFailure).node).toBe(`s${index}`);
    expect((caught as NodeFailure).message).toContain(`cannot take ${text}`);
  });
});
