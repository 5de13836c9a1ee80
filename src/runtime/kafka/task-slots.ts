import { rmSync } from 'node:fs';
import { isChangeloggingStore } from '../../state/changelogging-store.js';
import { storeDirectory } from '../../state/store-directory.js';
import type { ErrorPolicies } from '../error-policy.js';
import { type StoreFactory, Task } from '../task/task.js';
import type { Subtopology } from '../topology/subtopologies.js';
import type { Topology } from '../topology/topology.js';
import type { PartitionOffset } from './client-port.js';
import { addCount, type Counters } from './engine-counters.js';

/** A task and the next offsets to commit for its input partitions ("topic:partition"). */
export interface TaskSlot {
  /** "<subtopology>_<partition>". */
  readonly id: string;
  readonly subtopology: Subtopology;
  readonly partition: number;
  readonly ready: Promise<Task>;
  task: Task | undefined;
  readonly positions: Map<string, PartitionOffset>;
}

/** What tasks are built from. */
export interface TaskSlotsOptions {
  readonly applicationId: string;
  readonly topology: Topology;
  readonly stateDir: string;
  readonly clock: () => number;
  readonly errors: ErrorPolicies;
  readonly deadLetterTopic: string;
  /** Builds (and restores) a store of the task for `partition`. */
  readonly storeFactory: (partition: number) => StoreFactory;
  /** Where closed tasks' counters go, so the app's totals keep them. */
  readonly counters: Counters;
  /** Runs before a task's stores are built (exactly-once: fences the task's previous owner). */
  readonly prepare?: ((taskId: string) => Promise<void>) | undefined;
}

/** The tasks of this instance, by id: opened as partitions are assigned, closed as they are revoked. */
export class TaskSlots {
  private readonly slots = new Map<string, TaskSlot>();

  constructor(private readonly options: TaskSlotsOptions) {}

  get size(): number {
    return this.slots.size;
  }

  get(id: string): TaskSlot | undefined {
    return this.slots.get(id);
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  values(): IterableIterator<TaskSlot> {
    return this.slots.values();
  }

  entries(): IterableIterator<[string, TaskSlot]> {
    return this.slots.entries();
  }

  /** Forgets a slot (the caller closes its task). */
  delete(id: string): void {
    this.slots.delete(id);
  }

  /** The tasks that are open (restored and ready). */
  *tasks(): Generator<Task> {
    for (const slot of this.slots.values()) if (slot.task) yield slot.task;
  }

  /** Creates the task of `sub` for `partition`; its stores restore before `ready` resolves. */
  open(sub: Subtopology, partition: number): TaskSlot {
    const o = this.options;
    const id = `${sub.id}_${partition}`;
    const create = () =>
      Task.create({
        applicationId: o.applicationId,
        topology: o.topology,
        subtopology: sub,
        partition,
        stateDir: o.stateDir,
        storeFactory: o.storeFactory(partition),
        clock: o.clock,
        errors: o.errors,
        deadLetterTopic: o.deadLetterTopic,
      });
    const ready = o.prepare ? o.prepare(id).then(create) : create();
    const slot: TaskSlot = { id, subtopology: sub, partition, ready, task: undefined, positions: new Map() };
    ready.then(
      (task) => {
        slot.task = task;
      },
      () => {},
    );
    this.slots.set(id, slot);
    return slot;
  }

  /** Closes a task, keeping its counters in the app's totals. */
  async close(task: Task): Promise<void> {
    for (const [k, v] of task.counters) addCount(this.options.counters, k, v);
    task.counters.clear();
    await task.close();
  }

  /** Closes every task and forgets them. */
  async closeAll(): Promise<void> {
    for (const slot of this.slots.values()) {
      const task = await slot.ready.catch(() => undefined);
      if (task) await this.close(task);
    }
    this.slots.clear();
  }

  /**
   * Closes a task whose partitions moved away. Persistent stores holding writes the changelog has
   * not seen are deleted: kept, they would be ahead of their checkpoint, and if the partition comes
   * back the records behind those writes would be counted twice. They are rebuilt from the changelog.
   */
  async closeRevoked(task: Task): Promise<void> {
    const ahead = [...task.allStores().values()].filter(
      (s) => s.persistent && isChangeloggingStore(s) && s.hasChanges(),
    );
    await this.close(task);
    for (const store of ahead) this.deleteStore(task.taskId, store.name);
  }

  /** Deletes the local files of a task's store (no-op for stores without any). */
  deleteStore(taskId: string, store: string): void {
    const context = { applicationId: this.options.applicationId, taskId, stateDir: this.options.stateDir };
    rmSync(storeDirectory(context, store), { recursive: true, force: true });
  }
}
