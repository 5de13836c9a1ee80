import { ProductionError } from '../app/output-writer.js';
import type { ErrorPolicies } from '../error-policy.js';
import type { StreamRecord } from '../record.js';
import { type SinkRecoveryOptions, writeToSink } from '../sink-recovery.js';
import { deadLetterHeaders } from '../task/dead-letter-headers.js';
import type { SinkOutput } from '../task/task.js';
import type { OutgoingMessage } from './client-port.js';
import { type EncodeFailure, encodeRecords, type TopicSerdes } from './record-codec.js';

/** How the writer finds a sink topic's real name, serdes and partition count. */
export interface SinkTopicResolver {
  topicOf(topic: string): string;
  serdesOf(
    sinkKeySerde: TopicSerdes['key'] | undefined,
    sinkValueSerde: TopicSerdes['value'] | undefined,
    topic: string,
  ): TopicSerdes;
  partitionCount(realTopic: string): number;
}

/**
 * Turns a task's sink outputs into Kafka messages (topic sinks) or connector writes (external
 * sinks), and dead letters into messages for the dead-letter topic. Serialization failures and
 * failed connector writes go through the production-error door. The caller sends the messages:
 * right away (at-least-once) or inside the commit's transaction (exactly-once).
 */
export class KafkaOutputWriter {
  readonly counters = new Map<string, number>();

  constructor(
    private readonly resolver: SinkTopicResolver,
    private readonly errors: ErrorPolicies,
    private readonly deadLetterTopic: string,
    private readonly recovery: SinkRecoveryOptions = {},
  ) {}

  /** Returns the messages to produce for `sinks` and `deadLetters`. */
  async write(
    sinks: readonly SinkOutput[],
    deadLetters: readonly StreamRecord<unknown, unknown>[],
  ): Promise<OutgoingMessage[]> {
    const out: OutgoingMessage[] = [];
    for (const { sink, records } of sinks) {
      if (sink.topic !== undefined) {
        const topic = this.resolver.topicOf(sink.topic);
        const serdes = this.resolver.serdesOf(sink.keySerde, sink.valueSerde, sink.topic);
        const partitioner = sink.partitioner;
        const partitionOf = partitioner
          ? (r: StreamRecord<unknown, unknown>) =>
              partitioner(r.key, r.value, this.resolver.partitionCount(topic))
          : undefined;
        const { messages, failures } = await encodeRecords(records, topic, serdes, partitionOf);
        for (const m of messages) out.push(m);
        this.add(`sink.${sink.topic}.records`, messages.length);
        if (failures.length > 0) this.onEncodeFailures(sink.name, failures, out);
        continue;
      }
      const connector = sink.connector!;
      const failure = await writeToSink(connector, records, this.recovery, (name, by) => this.add(name, by));
      if (failure) {
        this.onProductionError(
          connector.name,
          records.map((record) => ({ record, error: failure })),
          out,
        );
      }
    }
    for (const r of deadLetters) out.push(this.deadLetterMessage(r));
    if (deadLetters.length > 0) this.add('dead-letters', deadLetters.length);
    return out;
  }

  /** A dead-letter message: bytes pass through, anything else as JSON (or its string form). */
  deadLetterMessage(record: StreamRecord<unknown, unknown>): OutgoingMessage {
    return {
      topic: this.deadLetterTopic,
      key: toBytes(record.key),
      value: toBytes(record.value),
      timestamp: record.timestamp,
      headers: record.headers,
    };
  }

  private onEncodeFailures(sink: string, failures: EncodeFailure[], out: OutgoingMessage[]): void {
    this.onProductionError(sink, failures, out);
  }

  private onProductionError(sink: string, failures: readonly EncodeFailure[], out: OutgoingMessage[]): void {
    const action = this.errors.production ?? 'fail';
    const first = failures[0]!.error;
    if (action === 'fail') {
      throw new ProductionError(
        `Sink "${sink}" failed to write ${failures.length} records: ${first?.message ?? String(first)}. ` +
          "Fix the sink or its serde, or set errors.production to 'skip' or 'dead-letter'.",
        sink,
        { cause: first },
      );
    }
    this.add(`errors.production.${action === 'skip' ? 'skipped' : 'dead-lettered'}`, failures.length);
    if (action !== 'dead-letter') return;
    for (const { record, error } of failures) {
      out.push(
        this.deadLetterMessage({ ...record, headers: deadLetterHeaders(record, sink, error, 'production') }),
      );
    }
    this.add('dead-letters', failures.length);
  }

  private add(name: string, by: number): void {
    if (by !== 0) this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }
}

function toBytes(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  try {
    return Buffer.from(JSON.stringify(value) ?? String(value), 'utf8');
  } catch {
    return Buffer.from(String(value), 'utf8');
  }
}
