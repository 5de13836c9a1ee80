import type { Route } from './batch-processor.js';
import type { AdminPort, ConsumerPort, TopicPartitions } from './client-port.js';
import type { CommitProtocol } from './commit-protocol.js';
import { addCount, type Counters } from './engine-counters.js';
import type { TaskSlot, TaskSlots } from './task-slots.js';
import { type FailedTaskTransaction, TaskTransactionError } from './transaction-failure.js';

/** What task recovery works with. */
export interface TaskRecoveryParts {
  readonly groupId: string;
  readonly admin: AdminPort;
  readonly consumer: ConsumerPort;
  readonly protocol: CommitProtocol;
  readonly slots: TaskSlots;
  readonly routes: ReadonlyMap<string, Route>;
  readonly counters: Counters;
  /** The partitions this instance is assigned now. */
  readonly assignment: () => TopicPartitions;
}

/**
 * Exactly-once: what happens to a task whose transaction failed. It is rebuilt from its changelog and
 * resumes from the group's committed offsets, or, when another instance fenced it, stays closed (its
 * batches skipped) until the next assignment.
 */
export class TaskRecovery {
  /** Tasks whose producer was fenced; their batches are skipped until the next assignment. */
  private readonly fenced = new Set<string>();

  constructor(private readonly parts: TaskRecoveryParts) {}

  /** True when the task was fenced since the last assignment. */
  isFenced(taskId: string): boolean {
    return this.fenced.has(taskId);
  }

  /** A new assignment: fenced tasks may come back. */
  reset(): void {
    this.fenced.clear();
  }

  /** Runs `fn`; a failed task transaction rebuilds (or, when fenced, drops) the task. */
  async recovering(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      if (!(error instanceof TaskTransactionError)) throw error;
      for (const failure of error.failures) await this.recoverTask(failure);
    }
  }

  /**
   * Aborts the task's transaction and closes the task without committing; its stores lose whatever the
   * aborted transaction wrote (they are rebuilt from the changelog). Fenced: another instance owns the
   * task now. Otherwise the task is reopened (restored) and its partitions resume from the committed offsets.
   */
  private async recoverTask(failure: FailedTaskTransaction): Promise<void> {
    const { slots, protocol, counters } = this.parts;
    const slot = slots.get(failure.taskId);
    if (!slot) return;
    slots.delete(slot.id);
    await protocol.discard(slot);
    const task = await slot.ready.catch(() => undefined);
    if (task) await slots.close(task);
    if (failure.fenced) {
      this.fenced.add(slot.id);
      addCount(counters, 'tasks.fenced');
      return;
    }
    addCount(counters, 'tasks.recovered');
    const reopened = slots.open(slot.subtopology, slot.partition);
    await reopened.ready;
    await this.resumeFromCommitted(reopened);
  }

  /** Seeks the task's input partitions back to the group's committed offsets. */
  async resumeFromCommitted(slot: TaskSlot): Promise<void> {
    const { routes, admin, consumer, groupId } = this.parts;
    for (const [topic, route] of routes) {
      if (route.subtopology !== slot.subtopology) continue;
      if (!(this.parts.assignment().get(topic) ?? []).includes(slot.partition)) continue;
      const committed = await admin.committedOffsets(groupId, topic);
      const position = { topic, partition: slot.partition, offset: committed.get(slot.partition) ?? 0 };
      consumer.seek(position);
      // Batches fetched before the seek may still arrive: the batch processor skips what is below.
      slot.positions.set(`${topic}:${slot.partition}`, position);
    }
  }
}
