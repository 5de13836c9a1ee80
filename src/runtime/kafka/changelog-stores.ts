import { rmSync } from 'node:fs';
import { type ChangeloggingStore, isChangeloggingStore } from '../../state/changelogging-store.js';
import { wrapWithChangelog } from '../../state/changelogging-wrap.js';
import type { StateStore, StoreContext, StoreSpec } from '../../state/store.js';
import { storeDirectory } from '../../state/store-directory.js';
import { defaultStoreFactory } from '../default-store-factory.js';
import type { StoreFactory, Task } from '../task/task.js';
import type { AdminPort, KafkaClientPort, OutgoingMessage } from './client-port.js';
import { addCount, type Counters } from './engine-counters.js';
import type { KafkaMetrics } from './kafka-metrics.js';
import type { RestoreProgress } from './kafka-options.js';
import { internalSerde } from './record-codec.js';

/** What building and restoring changelogged stores needs from the engine. */
export interface ChangelogStoresOptions {
  readonly applicationId: string;
  readonly storeFactory?: StoreFactory | undefined;
  readonly onRestoreProgress?: ((progress: RestoreProgress) => void) | undefined;
  readonly client: KafkaClientPort;
  readonly admin: AdminPort;
  readonly counters: Counters;
  readonly prometheus: KafkaMetrics;
  /**
   * Delete a store's local files before building it, so it is rebuilt from the changelog alone
   * (exactly-once: local files may hold writes of a transaction that never committed).
   */
  readonly wipeLocalState?: boolean | undefined;
}

/** A task's changelog records since the last drain, and the stores they came from by "topic:partition". */
export interface DrainedChangelogs {
  readonly messages: OutgoingMessage[];
  readonly stores: Map<string, ChangeloggingStore>;
}

/**
 * Stores backed by changelog topics: builds a task's stores (wrapped for their changelog and
 * restored from it) and collects their changes as changelog records at each commit.
 */
export class ChangelogStores {
  constructor(private readonly options: ChangelogStoresOptions) {}

  /** "<applicationId>-<store>-changelog". */
  topicOf(store: string): string {
    return `${this.options.applicationId}-${store}-changelog`;
  }

  /** Builds a task's store; unless the spec opts out, wraps it for its changelog and restores it first. */
  async build(spec: StoreSpec, context: StoreContext, partition: number): Promise<StateStore> {
    if (this.options.wipeLocalState && spec.changelog !== false)
      rmSync(storeDirectory(context, spec.name), { recursive: true, force: true });
    const inner = await (this.options.storeFactory ?? defaultStoreFactory)(spec, context);
    if (spec.changelog === false) return inner;
    const topic = this.topicOf(spec.name);
    const store = wrapWithChangelog(spec, inner, `${topic}:${partition}`);
    await this.restore(store, topic, partition);
    return store;
  }

  /** Replays the changelog partition into the store, from its checkpoint (or the start) to the end. */
  private async restore(store: ChangeloggingStore, topic: string, partition: number): Promise<void> {
    const end = (await this.options.admin.endOffsets(topic)).get(partition) ?? 0;
    const checkpointed = store.checkpointedOffset();
    const from = checkpointed !== undefined && checkpointed <= end ? checkpointed : 0;
    let restored = 0;
    const report = this.options.onRestoreProgress;
    report?.({ store: store.name, partition, restored, total: end - from, done: end <= from });
    if (end > from) {
      await this.options.client.reader().read([{ topic, partition, from, to: end }], (batch) => {
        for (const m of batch.messages) {
          const key = internalSerde.deserialize(m.key, topic);
          store.restore(key, m.value === null ? null : internalSerde.deserialize(m.value, topic));
        }
        restored += batch.messages.length;
        report?.({ store: store.name, partition, restored, total: end - from, done: false });
      });
      report?.({ store: store.name, partition, restored, total: end - from, done: true });
    }
    store.setChangelogOffset(end);
    this.options.prometheus.recordRestore(store.name, restored);
    addCount(this.options.counters, 'restore.records', restored);
  }

  /** The changelog records of every changelogging store of `task` changed since the last drain. */
  drain(task: Task, into: DrainedChangelogs = { messages: [], stores: new Map() }): DrainedChangelogs {
    for (const store of task.allStores().values()) {
      if (!isChangeloggingStore(store)) continue;
      const topic = this.topicOf(store.name);
      into.stores.set(`${topic}:${task.partition}`, store);
      for (const change of store.drainChanges()) {
        into.messages.push({
          topic,
          partition: task.partition,
          key: internalSerde.serialize(change.key, topic),
          value: change.value === null ? null : internalSerde.serialize(change.value, topic),
        });
      }
    }
    return into;
  }
}
