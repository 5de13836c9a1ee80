/**
 * Contracts between the runtime and the edges (src/connectors depends on these, never the reverse).
 *
 * Backpressure is built in: a source is pulled (the runtime asks for the next batch only when it
 * has room), and a sink's `write` is awaited before more output is produced for it.
 */
import type { StreamRecord } from './record.js';

/**
 * An external source of records (tshark, an rxjs Observable, a file...). The runtime iterates
 * `batches()`; while it does not call `next()`, the source must stop reading its input instead of
 * buffering (for tshark: stop reading its stdout). The iterator ends when the source is exhausted
 * (end of a pcap) and throws when the source fails.
 */
export interface SourceConnector<K, V> {
  /** Names the source in topology descriptions, metrics and errors. */
  readonly name: string;
  /** Batches of records in arrival order; `signal` aborts the iteration on shutdown. */
  batches(signal: AbortSignal): AsyncIterable<ReadonlyArray<StreamRecord<K, V>>>;
  /** Releases the source (kills child processes, closes files). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * An external sink (ADX, DuckDB, a webhook, the console...). The runtime calls `write` with
 * batches, never concurrently for one sink, and awaits it before writing more: a slow sink
 * slows its sources instead of growing memory.
 */
export interface SinkConnector<K, V> {
  readonly name: string;
  /**
   * Delivers a batch. Rejecting fails the batch: the runtime applies the production-error policy.
   * Exception: a rejection whose error has `retriable === true` says the sink kept every record of
   * the batch and `flush()` will deliver them once its destination is back. The runtime then calls
   * `flush()` with backoff until it succeeds (committing no input positions meanwhile) and writes
   * nothing more to the sink until it does; the production door is not involved.
   */
  write(batch: ReadonlyArray<StreamRecord<K, V>>): Promise<void>;
  /** Makes everything written so far durable (called at commit). */
  flush?(): Promise<void>;
  /** Flushes and releases the sink. Safe to call twice. */
  close?(): Promise<void>;
}
