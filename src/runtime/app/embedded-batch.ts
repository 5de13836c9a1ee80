import type { EmbeddedLog } from '../embedded/embedded-log.js';
import type { StreamRecord } from '../record.js';
import type { Task } from '../task/task.js';
import type { OutputWriter } from './output-writer.js';

/** One input partition of a task and how far the task has read it. */
export interface TaskInput {
  /** Topic name as the topology knows it (what Task.process expects). */
  readonly topic: string;
  /** Topic name in the log (internal topics are prefixed with the applicationId). */
  readonly logTopic: string;
  readonly partition: number;
  position: number;
}

/** A task with its inputs, as the embedded engine drives it. */
export interface EngineTask {
  readonly task: Task;
  readonly inputs: TaskInput[];
}

/**
 * Feeds one batch (at most `max` records) to a task from its input partitions, always taking the
 * record with the lowest timestamp among the partitions' next records (Kafka Streams' choice across
 * co-partitioned inputs), then writes the outputs. Returns how many records were processed.
 */
export async function runTaskBatch(
  log: EmbeddedLog,
  engineTask: EngineTask,
  writer: OutputWriter,
  max: number,
): Promise<number> {
  const { task, inputs } = engineTask;
  let processed = 0;
  if (inputs.length === 1) {
    const input = inputs[0]!;
    const records = log.read(input.logTopic, input.partition, input.position, max);
    task.processBatch(input.topic, records);
    if (records.length > 0) input.position = records[records.length - 1]!.origin!.offset + 1;
    processed = records.length;
  } else {
    const buffers = inputs.map((i) => log.read(i.logTopic, i.partition, i.position, max));
    const cursor = inputs.map(() => 0);
    while (processed < max) {
      let best = -1;
      let bestTs = Number.POSITIVE_INFINITY;
      for (let i = 0; i < inputs.length; i++) {
        const next: StreamRecord<unknown, unknown> | undefined = buffers[i]![cursor[i]!];
        if (next && next.timestamp < bestTs) {
          best = i;
          bestTs = next.timestamp;
        }
      }
      if (best < 0) break;
      const buffer = buffers[best]!;
      const at = cursor[best]!++;
      const record = buffer[at]!;
      // One record, from the buffer itself: no array per record.
      task.processBatch(inputs[best]!.topic, buffer, at, at + 1);
      inputs[best]!.position = record.origin!.offset + 1;
      processed++;
    }
  }
  if (processed > 0 || task.pendingOutputCount() > 0) {
    const { sinks, deadLetters } = task.drainOutputs();
    await writer.write(sinks, deadLetters);
  }
  return processed;
}

/** Records in the log a task has not read yet. */
export function lagOf(log: EmbeddedLog, engineTask: EngineTask): number {
  let lag = 0;
  for (const input of engineTask.inputs)
    lag += log.endOffset(input.logTopic, input.partition) - input.position;
  return lag;
}
