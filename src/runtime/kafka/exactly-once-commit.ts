import { flushWithRecovery, type SinkRecoveryOptions } from '../sink-recovery.js';
import type { Topology } from '../topology/topology.js';
import type { ChangelogStores } from './changelog-stores.js';
import type {
  KafkaClientPort,
  OutgoingMessage,
  PartitionOffset,
  ProducerPort,
  TransactionPort,
} from './client-port.js';
import type { CommitProtocol } from './commit-protocol.js';
import { addCount, type Counters } from './engine-counters.js';
import { inChunks, type OutputSender } from './output-sender.js';
import type { TaskSlot, TaskSlots } from './task-slots.js';
import {
  type FailedTaskTransaction,
  TaskTransactionError,
  taskTransactionError,
} from './transaction-failure.js';

/** What the exactly-once protocol works with. */
export interface ExactlyOnceParts {
  readonly applicationId: string;
  readonly topology: Topology;
  readonly client: KafkaClientPort;
  readonly sender: OutputSender;
  readonly slots: TaskSlots;
  readonly changelogs: ChangelogStores;
  readonly counters: Counters;
  /** How to wait for a sink that failed retriably (see src/runtime/sink-recovery.ts). */
  readonly recovery: SinkRecoveryOptions;
}

/** A task's transactional producer and its open transaction. */
interface TaskTransaction {
  readonly producer: ProducerPort;
  tx: TransactionPort | undefined;
  /** Records were sent in `tx` since it began. */
  dirty: boolean;
  /** The input offsets of the last committed transaction, "topic:partition" -> offset. */
  readonly committed: Map<string, number>;
}

/**
 * Exactly-once: one transactional producer per task, with the transactional id
 * "<applicationId>-<taskId>". A task's outputs, its changelog records and its input offsets
 * (sendOffsets to the group) go into one transaction per commit interval, so they become visible
 * together or not at all (consumers reading read_committed).
 *
 * Why per task and not per instance: the transactional id is the only fencing kafkajs offers
 * (its TxnOffsetCommit carries no group generation, so the broker cannot fence by consumer
 * group membership as Kafka Streams' eos-v2 does). With one id per task, whichever instance opens
 * a task fences the previous owner of that task (a zombie, or the instance's own killed
 * predecessor) and aborts its open transaction before restoring the task's state.
 */
export class ExactlyOnceCommit implements CommitProtocol {
  private readonly transactions = new Map<string, TaskTransaction>();

  constructor(private readonly parts: ExactlyOnceParts) {}

  /** "<applicationId>-<taskId>". */
  transactionalId(taskId: string): string {
    return `${this.parts.applicationId}-${taskId}`;
  }

  /**
   * Called before a task restores: initialises its producer's transactions, which fences any other
   * producer with the same id and aborts its open transaction, so the restore sees final data.
   */
  async prepare(taskId: string): Promise<void> {
    let entry = this.transactions.get(taskId);
    if (!entry) {
      const producer = this.parts.client.producer({ transactionalId: this.transactionalId(taskId) });
      entry = { producer, tx: undefined, dirty: false, committed: new Map() };
      await producer.connect();
      this.transactions.set(taskId, entry);
    }
    entry.committed.clear();
    entry.dirty = false;
    if (!entry.tx) entry.tx = await entry.producer.transaction();
  }

  async sendOutputs(slot: TaskSlot | undefined, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (!slot) throw new Error('exactly-once: outputs outside a task have no transaction');
    const entry = this.transactions.get(slot.id);
    try {
      if (!entry?.tx) throw new Error(`task ${slot.id} has no open transaction`);
      const tx = entry.tx;
      await inChunks(messages, (chunk) => tx.send(chunk));
      entry.dirty = true;
    } catch (error) {
      throw taskTransactionError(slot.id, error);
    }
    this.parts.sender.count(messages);
  }

  async commit(): Promise<readonly PartitionOffset[]> {
    for (const node of this.parts.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.flush)
        await flushWithRecovery(node.connector, this.parts.recovery);
    }
    const slots = [...this.parts.slots.values()].filter((s) => s.task);
    const results = await Promise.allSettled(slots.map((slot) => this.commitTask(slot)));
    const failures: FailedTaskTransaction[] = [];
    results.forEach((result, i) => {
      if (result.status === 'rejected')
        failures.push(...taskTransactionError(slots[i]!.id, result.reason).failures);
    });
    if (failures.length > 0) throw new TaskTransactionError(failures);
    return results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  }

  /** Commits one task's transaction: its changelog records and input offsets join its outputs. */
  private async commitTask(slot: TaskSlot): Promise<readonly PartitionOffset[]> {
    const entry = this.transactions.get(slot.id);
    const task = slot.task!;
    if (!entry?.tx) throw new Error(`task ${slot.id} has no open transaction`);
    const { messages } = this.parts.changelogs.drain(task);
    const moved = [...slot.positions.values()].filter(
      (p) => entry.committed.get(`${p.topic}:${p.partition}`) !== p.offset,
    );
    if (!entry.dirty && messages.length === 0 && moved.length === 0) return [];
    if (messages.length > 0) {
      const tx = entry.tx;
      await inChunks(messages, (chunk) => tx.send(chunk));
      addCount(this.parts.counters, 'changelog.records', messages.length);
    }
    const offsets = [...slot.positions.values()];
    if (offsets.length > 0) await entry.tx.sendOffsets(this.parts.applicationId, offsets);
    await task.flushStores();
    await entry.tx.commit();
    entry.tx = undefined;
    entry.dirty = false;
    for (const p of offsets) entry.committed.set(`${p.topic}:${p.partition}`, p.offset);
    addCount(this.parts.counters, 'commits');
    entry.tx = await entry.producer.transaction();
    return offsets;
  }

  /**
   * The task closes without committing: its open transaction is aborted (nothing it sent since
   * its last commit becomes visible; a fenced producer's abort fails, its fencer already aborted)
   * and its producer closed.
   */
  async discard(slot: TaskSlot): Promise<void> {
    const entry = this.transactions.get(slot.id);
    if (!entry) return;
    this.transactions.delete(slot.id);
    // A task reopened later (rebuilt, or assigned back) opens a new producer in prepare().
    if (entry.tx) await entry.tx.abort().catch(() => {});
    await entry.producer.disconnect().catch(() => {});
  }

  async close(): Promise<void> {
    for (const [id, entry] of this.transactions) {
      if (entry.tx && entry.dirty) await entry.tx.abort().catch(() => {});
      await entry.producer.disconnect().catch(() => {});
      this.transactions.delete(id);
    }
  }
}
