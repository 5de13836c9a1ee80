/** Bench 1: the stateless chain map -> filter -> mapValues, a real Task vs a plain loop. */
import { tmpdir } from 'node:os';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { StreamRecord } from '../../src/runtime/record.js';
import type { Task } from '../../src/runtime/task/task.js';
import type { Batch, BenchInput, Packet } from './input.js';
import { drainCount, median, type Reading, reading, singleTask } from './task.js';

async function statelessTask(): Promise<Task> {
  const b = new StreamsBuilder();
  b.stream<string, Packet>('in')
    .map((k, p) => ({ key: k, value: { src: p.src, len: p.len * 2 } }))
    .filter((_, p) => p.len % 3 !== 0)
    .mapValues((p) => p.len + 1)
    .to('out');
  return singleTask(b.build(), tmpdir());
}

async function runEngine(task: Task, input: BenchInput): Promise<Reading> {
  let outputs = 0;
  const seconds = await input.timed(({ records, from, to }) => {
    task.processBatch('in', records, from, to);
    outputs += drainCount(task);
  });
  return reading('stateless chain (tributary task)', input.size, seconds, outputs);
}

/** The same work by hand: map to a new record, filter, map the value, collect; cleared per batch. */
async function runPlain(input: BenchInput): Promise<Reading> {
  let outputs = 0;
  const out: StreamRecord<string, number>[] = [];
  const seconds = await input.timed(({ records, from, to }: Batch) => {
    for (let j = from; j < to; j++) {
      const r = records[j]!;
      const mapped = {
        key: r.key,
        value: { src: r.value.src, len: r.value.len * 2 },
        timestamp: r.timestamp,
        headers: r.headers,
      };
      if (mapped.value.len % 3 === 0) continue;
      out.push({
        key: mapped.key,
        value: mapped.value.len + 1,
        timestamp: mapped.timestamp,
        headers: mapped.headers,
      });
    }
    outputs += out.length;
    out.length = 0;
  });
  return reading('stateless chain (plain loop)', input.size, seconds, outputs);
}

/** Warms both sides up, then times them alternately `reps` times; returns each side's median. */
export async function statelessBench(
  input: BenchInput,
  warmup: BenchInput,
  reps: number,
): Promise<{ engine: Reading; plain: Reading }> {
  const task = await statelessTask();
  await runEngine(task, warmup);
  await runPlain(warmup);
  const engine: Reading[] = [];
  const plain: Reading[] = [];
  for (let rep = 0; rep < reps; rep++) {
    engine.push(await runEngine(task, input));
    plain.push(await runPlain(input));
    const [a, b] = [engine.at(-1)!.outputs, plain.at(-1)!.outputs];
    if (a !== b) throw new Error(`stateless outputs differ: engine ${a}, plain loop ${b}`);
  }
  await task.close();
  return { engine: median(engine), plain: median(plain) };
}
