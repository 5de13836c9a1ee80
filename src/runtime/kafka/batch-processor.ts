import { DEAD_LETTER_HEADERS, type ErrorPolicies } from '../error-policy.js';
import type { StreamRecord } from '../record.js';
import { deadLetterHeaders } from '../task/dead-letter-headers.js';
import type { Subtopology } from '../topology/subtopologies.js';
import type { FetchedBatch } from './client-port.js';
import type { CommitProtocol } from './commit-protocol.js';
import { DeserializationError } from './deserialization-error.js';
import { addCount, type Counters } from './engine-counters.js';
import type { KafkaMetrics } from './kafka-metrics.js';
import type { KafkaOutputWriter } from './kafka-output-writer.js';
import { type DecodeFailure, decodeBatch, type TopicSerdes } from './record-codec.js';
import type { TaskSlot, TaskSlots } from './task-slots.js';

/** Where records of a real topic go: the sub-topology reading it, under the topology's name. */
export interface Route {
  readonly subtopology: Subtopology;
  readonly logicalTopic: string;
  readonly serdes: TopicSerdes;
}

/** What the batch processor works with. */
export interface BatchProcessorParts {
  readonly routes: ReadonlyMap<string, Route>;
  readonly slots: TaskSlots;
  readonly writer: KafkaOutputWriter;
  readonly protocol: CommitProtocol;
  readonly errors: ErrorPolicies;
  readonly counters: Counters;
  readonly prometheus: KafkaMetrics;
}

/**
 * Runs one fetched batch through its task: decodes it (decode failures per
 * errors.deserialization), processes it, remembers the next offset to commit and sends the
 * outputs through the commit protocol.
 */
export class BatchProcessor {
  constructor(private readonly parts: BatchProcessorParts) {}

  /** The slot of the task reading `topic`'s `partition`, opened if needed. */
  slotFor(topic: string, partition: number): TaskSlot {
    const route = this.parts.routes.get(topic)!;
    return (
      this.parts.slots.get(`${route.subtopology.id}_${partition}`) ??
      this.parts.slots.open(route.subtopology, partition)
    );
  }

  async process(fetched: FetchedBatch): Promise<void> {
    const started = performance.now();
    const route = this.parts.routes.get(fetched.topic)!;
    const slot = this.slotFor(fetched.topic, fetched.partition);
    const task = await slot.ready;
    const batch = withoutProcessed(
      fetched,
      slot.positions.get(`${fetched.topic}:${fetched.partition}`)?.offset,
    );
    if (batch.messages.length === 0) return;
    const { records, failures } = await decodeBatch(batch, route.serdes);
    const deadLetters = failures.length > 0 ? this.onDecodeFailures(batch, failures) : [];
    task.processBatch(route.logicalTopic, records);
    const last = batch.messages[batch.messages.length - 1]!;
    const next = batch.nextOffset ?? last.offset + 1;
    slot.positions.set(`${batch.topic}:${batch.partition}`, {
      topic: batch.topic,
      partition: batch.partition,
      offset: next,
    });
    addCount(this.parts.counters, 'records.in', records.length);
    // Backpressure: kafkajs fetches nothing more for this partition until the outputs are delivered.
    const waitStarted = performance.now();
    await this.writeOutputs(slot, deadLetters);
    this.parts.prometheus.recordHeldBack(
      batch.topic,
      batch.partition,
      (performance.now() - waitStarted) / 1000,
    );
    const lag = batch.highWatermark !== undefined ? batch.highWatermark - next : undefined;
    this.parts.prometheus.recordBatch(
      records.length,
      (performance.now() - started) / 1000,
      batch.topic,
      batch.partition,
      lag,
    );
  }

  /** Sends the task's pending outputs (and `extraDeadLetters`) through the commit protocol. */
  async writeOutputs(slot: TaskSlot, extraDeadLetters: StreamRecord<unknown, unknown>[] = []): Promise<void> {
    const task = slot.task;
    if (!task || (task.pendingOutputCount() === 0 && extraDeadLetters.length === 0)) return;
    const { sinks, deadLetters } = task.drainOutputs();
    if (extraDeadLetters.length > 0) {
      for (const d of extraDeadLetters) deadLetters.push(d);
      // Dead letters of both doors in the order their records were read.
      const offsetOf = (r: StreamRecord<unknown, unknown>) =>
        Number(r.headers?.[DEAD_LETTER_HEADERS.offset] ?? 0);
      deadLetters.sort((a, b) => offsetOf(a) - offsetOf(b));
    }
    const messages = await this.parts.writer.write(sinks, deadLetters);
    await this.parts.protocol.sendOutputs(slot, messages);
  }

  private onDecodeFailures(batch: FetchedBatch, failures: DecodeFailure[]): StreamRecord<unknown, unknown>[] {
    const action = this.parts.errors.deserialization ?? 'fail';
    const first = failures[0]!;
    if (action === 'fail') {
      throw new DeserializationError(
        `Could not deserialize the record at topic ${batch.topic}, partition ${batch.partition}, offset ${first.message.offset}: ` +
          `${first.error.message}. Check the source's key/value serdes, or set errors.deserialization to 'skip' or 'dead-letter'.`,
        batch.topic,
        batch.partition,
        first.message.offset,
        { cause: first.error },
      );
    }
    const name = `errors.deserialization.${action === 'skip' ? 'skipped' : 'dead-lettered'}`;
    addCount(this.parts.counters, name, failures.length);
    if (action === 'skip') return [];
    return failures.map(({ message, error }) => {
      const raw: StreamRecord<unknown, unknown> = {
        key: message.key,
        value: message.value,
        timestamp: message.timestamp,
        headers: message.headers,
        origin: { topic: batch.topic, partition: batch.partition, offset: message.offset },
      };
      return { ...raw, headers: deadLetterHeaders(raw, `source:${batch.topic}`, error, 'deserialization') };
    });
  }
}

/**
 * The batch without the records below `position` (the task's next offset): a batch fetched before a
 * seek (to a task's own position, or to the offsets its fenced predecessor committed) can still be
 * delivered after it, and its records were processed already.
 */
function withoutProcessed(batch: FetchedBatch, position: number | undefined): FetchedBatch {
  if (position === undefined || batch.messages.length === 0 || batch.messages[0]!.offset >= position) {
    return batch;
  }
  return { ...batch, messages: batch.messages.filter((m) => m.offset >= position) };
}
