import { flushWithRecovery, type SinkRecoveryOptions } from '../sink-recovery.js';
import type { Topology } from '../topology/topology.js';
import type { ChangelogStores } from './changelog-stores.js';
import type { ConsumerPort, OutgoingMessage, PartitionOffset, ProducerPort } from './client-port.js';
import type { CommitProtocol } from './commit-protocol.js';
import { addCount, type Counters } from './engine-counters.js';
import type { OutputSender } from './output-sender.js';
import type { TaskSlot, TaskSlots } from './task-slots.js';

/** What the at-least-once protocol works with. */
export interface AtLeastOnceParts {
  readonly topology: Topology;
  readonly producer: ProducerPort;
  readonly consumer: ConsumerPort;
  readonly sender: OutputSender;
  readonly slots: TaskSlots;
  readonly changelogs: ChangelogStores;
  readonly counters: Counters;
  /** How to wait for a sink that failed retriably (see src/runtime/sink-recovery.ts). */
  readonly recovery: SinkRecoveryOptions;
}

/**
 * At-least-once: outputs are produced (and acknowledged) as batches finish; a commit produces the
 * changelogs, flushes sinks and stores, then commits the input offsets. A crash between the two
 * redoes the records since the last commit (some outputs come out twice, none is lost).
 */
export class AtLeastOnceCommit implements CommitProtocol {
  constructor(private readonly parts: AtLeastOnceParts) {}

  async sendOutputs(_slot: TaskSlot | undefined, messages: OutgoingMessage[]): Promise<void> {
    await this.parts.sender.send(this.parts.producer, messages);
  }

  async commit(): Promise<readonly PartitionOffset[]> {
    const { slots, consumer } = this.parts;
    await this.sendChangelogs();
    for (const node of this.parts.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.flush)
        await flushWithRecovery(node.connector, this.parts.recovery);
    }
    const offsets: PartitionOffset[] = [];
    for (const slot of slots.values()) {
      if (!slot.task) continue;
      await slot.task.flushStores();
      for (const position of slot.positions.values()) offsets.push(position);
    }
    if (!(await consumer.commit(offsets))) return [];
    addCount(this.parts.counters, 'commits');
    return offsets;
  }

  /** Nothing to undo: what the task sent stays, its records are redone by the partition's next owner. */
  async discard(_slot: TaskSlot): Promise<void> {}

  /** Nothing to release: the producer is the engine's. */
  async close(): Promise<void> {}

  /** Sends every changelogging store's changes since the last commit to its changelog partition. */
  private async sendChangelogs(): Promise<void> {
    const { slots, changelogs, sender, producer } = this.parts;
    const drained = { messages: [] as OutgoingMessage[], stores: new Map() };
    for (const task of slots.tasks()) changelogs.drain(task, drained);
    if (drained.messages.length === 0) return;
    for (const written of await sender.send(producer, drained.messages)) {
      drained.stores.get(`${written.topic}:${written.partition}`)?.setChangelogOffset(written.offset);
    }
    addCount(this.parts.counters, 'changelog.records', drained.messages.length);
  }
}
