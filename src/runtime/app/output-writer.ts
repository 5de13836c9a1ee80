import type { EmbeddedLog } from '../embedded/embedded-log.js';
import type { ErrorPolicies } from '../error-policy.js';
import { ProductionError } from '../errors.js';
import type { StreamRecord } from '../record.js';
import { type SinkRecoveryOptions, writeToSink } from '../sink-recovery.js';
import { deadLetterHeaders } from '../task/dead-letter-headers.js';
import type { SinkOutput } from '../task/task.js';

export { ProductionError };

/**
 * Writes what a task's sinks collected: topic sinks append to the embedded log (internal topics
 * under their resolved names), connector sinks get one awaited `write` per batch. A failed write is
 * handled by the production-error policy.
 */
export class OutputWriter {
  readonly counters = new Map<string, number>();

  constructor(
    private readonly log: EmbeddedLog,
    private readonly resolve: (topic: string) => string,
    private readonly errors: ErrorPolicies,
    private readonly deadLetterTopic: string,
    private readonly recovery: SinkRecoveryOptions = {},
  ) {}

  async write(sinks: SinkOutput[], deadLetters: StreamRecord<unknown, unknown>[]): Promise<void> {
    for (const { sink, records } of sinks) {
      if (sink.topic !== undefined) {
        const topic = this.resolve(sink.topic);
        const partitions = this.log.partitionCount(topic);
        for (const r of records) {
          const partition = sink.partitioner ? sink.partitioner(r.key, r.value, partitions) : undefined;
          this.log.append(topic, r, partition);
        }
        this.add(`sink.${sink.topic}.records`, records.length);
        continue;
      }
      const connector = sink.connector!;
      const failure = await writeToSink(connector, records, this.recovery, (name, by) => this.add(name, by));
      if (failure) await this.onProductionError(connector.name, records, failure);
    }
    for (const r of deadLetters) this.log.append(this.deadLetterTopic, r);
    if (deadLetters.length > 0) this.add('dead-letters', deadLetters.length);
  }

  private async onProductionError(sink: string, records: StreamRecord<unknown, unknown>[], error: Error) {
    const action = this.errors.production ?? 'fail';
    if (action === 'fail') {
      throw new ProductionError(
        `Sink "${sink}" failed to write ${records.length} records: ${error?.message ?? String(error)}`,
        sink,
        { cause: error },
      );
    }
    this.add(`errors.production.${action === 'skip' ? 'skipped' : 'dead-lettered'}`, records.length);
    if (action === 'dead-letter') {
      for (const r of records) {
        this.log.append(this.deadLetterTopic, {
          ...r,
          headers: deadLetterHeaders(r, sink, error, 'production'),
        });
      }
    }
  }

  private add(name: string, by: number): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }
}
