/**
 * The Processor API: what every built-in operator implements, and what users implement for
 * custom operators (`stream.process(() => new MyProcessor(), 'my-store')`).
 *
 * `process` runs on the hot path: it is synchronous and should not allocate more than it must.
 * Async work belongs to sinks and sources, which the runtime drives at batch boundaries.
 */
import type { StateStore } from '../state/store.js';
import type { RecordOrigin, StreamRecord } from './record.js';

/** Stream time advances with event timestamps; wall-clock time with the system (or test driver) clock. */
export type PunctuationType = 'stream-time' | 'wall-clock';

/** A scheduled punctuation; `cancel()` stops it. */
export interface Cancellable {
  cancel(): void;
}

/** A processor's view of its task while it runs. */
export interface ProcessorContext<KOut, VOut> {
  readonly applicationId: string;
  /** "<subtopology>_<partition>". */
  readonly taskId: string;
  /** The partition of the task's inputs. */
  readonly partition: number;
  /** This processor's node name in the topology. */
  readonly nodeName: string;
  /**
   * Passes a record to every child, or only to the child named `childName` (used by branching
   * operators). Forwarding to a name that is not a child throws.
   */
  forward(record: StreamRecord<KOut, VOut>, childName?: string): void;
  /** A store this processor was connected to; throws when it was not. */
  getStateStore<S extends StateStore>(name: string): S;
  /**
   * Calls `callback(time)` every `intervalMs` of stream time or wall-clock time.
   * Stream-time punctuation fires when a record advances stream time past the next due time.
   */
  schedule(intervalMs: number, type: PunctuationType, callback: (timestamp: number) => void): Cancellable;
  /** Largest event time this task has seen (-Infinity before the first record). */
  currentStreamTime(): number;
  /** Wall-clock time in ms: Date.now() in production, the driver's clock in tests. */
  currentSystemTime(): number;
  /** Where the record being processed came from, when it came from a log. */
  readonly recordOrigin: RecordOrigin | undefined;
  /** Adds `by` (default 1) to a named counter of this task; read via the app's metrics. */
  count(metric: string, by?: number): void;
}

/**
 * A stream processor. `init` is called once per task before the first record, `close` once when
 * the task stops.
 */
export interface Processor<KIn, VIn, KOut = KIn, VOut = VIn> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: StreamRecord<KIn, VIn>): void;
  /**
   * The input has ended (a bounded input such as a pcap replay, declared with `app.endOfInput()` or
   * `driver.endOfInput()`): forward now whatever is held back for later input. Windowed
   * aggregations in emit-final mode emit their open windows, left/outer stream joins their
   * unmatched records. Called once, parents before children, so what a parent forwards here
   * reaches its children before their own `endOfInput`. Records arriving afterwards are processed
   * as usual (they would start new results).
   */
  endOfInput?(): void;
  close?(): void;
}

/**
 * Optional fast path for stateless one-in, at-most-one-out processors (map, filter, mapValues...):
 * `apply` returns the record to forward, or undefined to drop it. The runtime then runs chains of
 * such processors as one fused step instead of a call through the context per node. `process` must
 * do the same as forwarding what `apply` returns.
 */
export interface RecordTransformer<KIn, VIn, KOut, VOut> {
  apply(record: StreamRecord<KIn, VIn>): StreamRecord<KOut, VOut> | undefined;
}

/** True when a processor also offers the fused fast path. */
export function isRecordTransformer(
  processor: object,
): processor is RecordTransformer<unknown, unknown, unknown, unknown> {
  return (
    typeof (processor as Partial<RecordTransformer<unknown, unknown, unknown, unknown>>).apply === 'function'
  );
}

/** Makes a fresh processor for each task. */
export type ProcessorSupplier<KIn, VIn, KOut = KIn, VOut = VIn> = () => Processor<KIn, VIn, KOut, VOut>;
