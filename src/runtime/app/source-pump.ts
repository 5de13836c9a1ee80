import type { SourceConnector } from '../connector.js';
import type { EmbeddedLog } from '../embedded/embedded-log.js';

/**
 * Moves records from an external source connector into its topic in the embedded log. It pulls the
 * next batch only while the topic's unprocessed backlog is under `maxBacklog`, so a slow topology
 * stops the source (tshark's stdout stops being read) instead of growing memory.
 */
export class SourcePump {
  private done = false;
  private failure: unknown;
  private readonly finished: Promise<void>;
  recordsIn = 0;

  constructor(
    readonly connector: SourceConnector<unknown, unknown>,
    private readonly log: EmbeddedLog,
    private readonly topic: string,
    private readonly backlog: () => number,
    private readonly maxBacklog: number,
    signal: AbortSignal,
  ) {
    this.finished = this.run(signal);
  }

  get isDone(): boolean {
    return this.done;
  }

  /** The error the source failed with, if it did. */
  get error(): unknown {
    return this.failure;
  }

  /** Resolves when the source ended or failed (never rejects). */
  whenFinished(): Promise<void> {
    return this.finished;
  }

  private async run(signal: AbortSignal): Promise<void> {
    try {
      for await (const batch of this.connector.batches(signal)) {
        for (const record of batch) {
          this.log.append(this.topic, {
            key: record.key,
            value: record.value,
            timestamp: record.timestamp,
            headers: record.headers,
          });
        }
        this.recordsIn += batch.length;
        while (!signal.aborted && this.backlog() > this.maxBacklog) {
          await new Promise((r) => setTimeout(r, 5));
        }
        if (signal.aborted) break;
      }
    } catch (error) {
      if (!signal.aborted) this.failure = error;
    } finally {
      this.done = true;
    }
  }
}
