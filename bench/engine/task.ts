import { defaultStoreFactory } from '../../src/runtime/default-store-factory.js';
import { Task } from '../../src/runtime/task/task.js';
import type { Topology } from '../../src/runtime/topology/topology.js';

/** A real Task for the topology's single sub-topology, partition 0, as the runtimes build it. */
export async function singleTask(topology: Topology, stateDir: string): Promise<Task> {
  const [subtopology] = topology.subtopologies();
  return Task.create({
    applicationId: 'bench',
    topology,
    subtopology: subtopology!,
    partition: 0,
    stateDir,
    storeFactory: defaultStoreFactory,
    clock: Date.now,
    errors: {},
    deadLetterTopic: 'bench-dead-letters',
  });
}

/** Records the task's sinks collected since the last drain (the runtime would write them now). */
export function drainCount(task: Task): number {
  let n = 0;
  for (const sink of task.drainOutputs().sinks) n += sink.records.length;
  return n;
}

/** One timed side of a comparison. */
export interface Reading {
  name: string;
  records: number;
  seconds: number;
  rps: number;
  /** Output records, checked equal across the sides of a comparison. */
  outputs: number;
}

/** The reading in the middle by records/s. */
export function median(readings: Reading[]): Reading {
  const sorted = [...readings].sort((x, y) => x.rps - y.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function reading(name: string, records: number, seconds: number, outputs: number): Reading {
  return { name, records, seconds, rps: records / seconds, outputs };
}
