import type { OutgoingMessage, PartitionOffset } from './client-port.js';
import type { TaskSlot } from './task-slots.js';

/**
 * How task outputs reach Kafka and how progress becomes durable: at-least-once (produce, then
 * commit offsets) or exactly-once (outputs, changelogs and offsets in one transaction).
 */
export interface CommitProtocol {
  /** Sends outputs of the task in `slot` (`slot` undefined: outputs of no task, e.g. a source connector). */
  sendOutputs(slot: TaskSlot | undefined, messages: OutgoingMessage[]): Promise<void>;
  /**
   * Makes everything the tasks did durable: changelogs, sinks, stores and input offsets. Task
   * outputs pending in the tasks were already handed to `sendOutputs`. Resolves with the input
   * offsets committed (none when the commit was skipped, e.g. during a rebalance).
   */
  commit(): Promise<readonly PartitionOffset[]>;
  /** A task is about to close without committing (revoked, failed or the app stops without commit). */
  discard(slot: TaskSlot): Promise<void>;
  /** Aborts what is still open and releases the protocol's own producers (after the last commit). */
  close(): Promise<void>;
}
