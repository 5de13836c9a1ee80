import type { StateStore, StoreKind, StoreSpec } from '../../state/store.js';
import { murmur2 } from '../embedded/partitioner.js';
import { TributaryError } from '../errors.js';
import { resolveTopic } from '../topic-names.js';
import type { Subtopology } from '../topology/subtopologies.js';
import type { Topology } from '../topology/topology.js';
import { StoreUnavailableError, UnknownStoreError } from './query-errors.js';
import type { GroupSnapshot, QueryHost } from './query-host.js';
import type { InstanceMetadata, KeyQueryMetadata } from './query-metadata.js';
import { parseHostInfo } from './query-metadata.js';
import {
  keyValueView,
  type QueryableStore,
  type StoreLocator,
  sessionView,
  windowView,
} from './store-views.js';

/** A store the topology declares, with its kind. */
export interface StoreDescription {
  readonly name: string;
  readonly kind: StoreKind;
}

/** Where a store lives in the topology: its sub-topology and the real topic that partitions it. */
interface StorePlace {
  readonly spec: StoreSpec;
  readonly subtopology: Subtopology;
  readonly topic: string;
}

/**
 * Interactive queries of one app: read-only views over its local stores, and which instance
 * holds which key (from the group assignment on Kafka; everything is local when embedded).
 */
export class StoreQueries {
  /** The last group description, when it was asked for, and this instance's tasks at the time. */
  private group: { snapshot: Promise<GroupSnapshot>; at: number; tasks: string } | undefined;
  /** The topology is sealed: its sub-topologies never change. */
  private readonly subtopologies: readonly Subtopology[];

  constructor(
    private readonly topology: Topology,
    private readonly host: QueryHost,
    private readonly maxAgeMs = 2000,
    private readonly clock: () => number = Date.now,
  ) {
    this.subtopologies = topology.subtopologies();
  }

  /**
   * Forgets what it knew of the group; the app calls it on every state change. A description is
   * also dropped once it is `maxAgeMs` old or this instance's tasks changed: a rebalance that
   * keeps the app RUNNING changes no state, and one among other members changes no local task.
   */
  invalidate(): void {
    this.group = undefined;
  }

  /** Every store of the topology. */
  stores(): StoreDescription[] {
    return this.topology.stores().map((s) => ({ name: s.name, kind: s.kind }));
  }

  /** A read-only view of `name` over this instance's tasks. */
  store<K = unknown, V = unknown>(name: string): QueryableStore<K, V> {
    const place = this.place(name);
    const locator = this.locator(place);
    switch (place.spec.kind) {
      case 'key-value':
        return keyValueView<K, V>(locator);
      case 'window':
        return windowView<K, V>(locator);
      case 'session':
        return sessionView<K, V>(locator);
    }
  }

  /** Which instance holds `key` of store `name`, and on which partition. */
  async queryMetadataForKey(name: string, key: unknown): Promise<KeyQueryMetadata> {
    const place = this.place(name);
    this.checkQueryable(name);
    const partitions = this.partitions(place);
    const bytes = await this.host.keyBytes(place.topic, key);
    if (bytes === null) {
      throw new TributaryError(
        `The key of store "${name}" serializes to null on topic "${place.topic}": a null key has no partition.`,
      );
    }
    const partition = partitionOfBytes(bytes, partitions);
    const snapshot = await this.groupSnapshot(name);
    if (!snapshot) {
      return { host: undefined, port: undefined, partition, local: true };
    }
    const owner = snapshot.members.find((m) => m.assignment.get(place.topic)?.includes(partition));
    if (!owner) {
      throw new StoreUnavailableError(
        `No instance holds partition ${partition} of "${place.topic}" (store "${name}") right now: the group is rebalancing. Try again shortly.`,
        name,
        'rebalancing',
      );
    }
    const endpoint = owner.applicationServer ? parseHostInfo(owner.applicationServer) : undefined;
    return {
      host: endpoint?.host,
      port: endpoint?.port,
      partition,
      local: this.isLocal(owner.applicationServer, place.subtopology.id, partition),
    };
  }

  /** Every instance of the app with its partitions and stores (just this one when embedded). */
  async allMetadata(): Promise<InstanceMetadata[]> {
    this.checkQueryable('(metadata)');
    const snapshot = await this.groupSnapshot('(metadata)');
    const members = snapshot?.members ?? [
      { applicationServer: this.host.applicationServer, assignment: this.localAssignment() },
    ];
    const routes = this.topicRoutes();
    return members.map((member) => {
      const endpoint = member.applicationServer ? parseHostInfo(member.applicationServer) : undefined;
      const stores = new Set<string>();
      const partitions: { topic: string; partition: number }[] = [];
      for (const [topic, list] of member.assignment) {
        for (const partition of list) partitions.push({ topic, partition });
        if (list.length > 0) for (const s of routes.get(topic)?.stores ?? []) stores.add(s.name);
      }
      partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
      return {
        host: endpoint?.host,
        port: endpoint?.port,
        local: snapshot === undefined || this.isLocalMember(member.applicationServer, member.assignment),
        stores: [...stores].sort(),
        partitions,
      };
    });
  }

  private place(name: string): StorePlace {
    const spec = this.topology.store(name);
    if (!spec)
      throw new UnknownStoreError(
        name,
        this.topology.stores().map((s) => s.name),
      );
    const subtopology = this.subtopologies.find((s) => s.stores.some((x) => x.name === name));
    const source = subtopology?.sources[0];
    if (!subtopology || !source) {
      throw new TributaryError(
        `Store "${name}" is not used by any processor fed by a topic, so it cannot be queried.`,
      );
    }
    return { spec, subtopology, topic: resolveTopic(this.topology, this.host.applicationId, source.topic) };
  }

  private partitions(place: StorePlace): number {
    const count = this.host.partitionCount(place.topic);
    if (count === undefined) {
      throw new StoreUnavailableError(
        `The partition count of "${place.topic}" is not known yet (store "${place.spec.name}"). Try again once the app runs.`,
        place.spec.name,
        'rebalancing',
      );
    }
    return count;
  }

  /** Throws unless the app is RUNNING. */
  private checkQueryable(store: string): void {
    const state = this.host.state();
    if (state === 'RUNNING') return;
    if (state === 'CREATED') {
      throw new StoreUnavailableError(
        `Store "${store}" cannot be queried before the app starts: call start() first.`,
        store,
        'not-started',
      );
    }
    if (state === 'REBALANCING') {
      throw new StoreUnavailableError(
        `Store "${store}" is unavailable while the app rebalances (its tasks may move). Try again shortly.`,
        store,
        'rebalancing',
      );
    }
    throw new StoreUnavailableError(
      `Store "${store}" cannot be queried: the app is ${state} and its stores are closed.`,
      store,
      'not-running',
    );
  }

  private locator(place: StorePlace): StoreLocator {
    const name = place.spec.name;
    const subId = place.subtopology.id;
    const storeOf = (stores: ReadonlyMap<string, StateStore> | undefined, partition: number) => {
      if (!stores) {
        throw new StoreUnavailableError(
          `Store "${name}" of partition ${partition} is being restored from its changelog. Try again shortly.`,
          name,
          'restoring',
        );
      }
      return stores.get(name)!;
    };
    const localStores = () => {
      this.checkQueryable(name);
      const out: StateStore[] = [];
      for (const task of this.host.localTasks()) {
        if (task.subtopologyId === subId) out.push(storeOf(task.stores, task.partition));
      }
      return out;
    };
    return {
      name,
      localStores,
      storesForKey: (key) => {
        this.checkQueryable(name);
        const bytes = this.host.keyBytes(place.topic, key);
        // An async key serde: look in every local task (only the owner can hold the key).
        if (bytes instanceof Promise) return localStores();
        if (bytes === null) return [];
        const partition = partitionOfBytes(bytes, this.partitions(place));
        for (const task of this.host.localTasks()) {
          if (task.subtopologyId === subId && task.partition === partition)
            return [storeOf(task.stores, partition)];
        }
        return [];
      },
    };
  }

  private groupSnapshot(store: string): Promise<GroupSnapshot> | undefined {
    const describe = this.host.describeGroup?.bind(this.host);
    if (!describe) return undefined;
    const now = this.clock();
    const tasks = this.localTaskIds();
    const cached = this.group;
    if (cached && now - cached.at < this.maxAgeMs && cached.tasks === tasks) return cached.snapshot;
    const snapshot = describe().then((description) => {
      if (!description.stable) {
        throw new StoreUnavailableError(
          `The group "${this.host.applicationId}" is rebalancing, so store "${store}" has no settled owner. Try again shortly.`,
          store,
          'rebalancing',
        );
      }
      return description;
    });
    const entry = { snapshot, at: now, tasks };
    // A failed or unsettled description is not kept.
    snapshot.catch(() => {
      if (this.group === entry) this.group = undefined;
    });
    this.group = entry;
    return snapshot;
  }

  private localTaskIds(): string {
    const ids: string[] = [];
    for (const task of this.host.localTasks()) ids.push(`${task.subtopologyId}_${task.partition}`);
    return ids.sort().join(',');
  }

  private isLocal(applicationServer: string | undefined, subtopologyId: number, partition: number): boolean {
    if (applicationServer !== undefined && this.host.applicationServer !== undefined)
      return applicationServer === this.host.applicationServer;
    for (const task of this.host.localTasks())
      if (task.subtopologyId === subtopologyId && task.partition === partition) return true;
    return false;
  }

  private isLocalMember(
    applicationServer: string | undefined,
    assignment: GroupSnapshot['members'][number]['assignment'],
  ): boolean {
    if (applicationServer !== undefined && this.host.applicationServer !== undefined)
      return applicationServer === this.host.applicationServer;
    const routes = this.topicRoutes();
    for (const [topic, list] of assignment) {
      const sub = routes.get(topic)?.id;
      for (const task of this.host.localTasks())
        if (task.subtopologyId === sub && list.includes(task.partition)) return true;
    }
    return false;
  }

  /** This instance's input partitions, by real topic (embedded: every partition of every task). */
  private localAssignment(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const subs = new Map(this.subtopologies.map((s) => [s.id, s]));
    for (const task of this.host.localTasks()) {
      for (const source of subs.get(task.subtopologyId)?.sources ?? []) {
        const topic = resolveTopic(this.topology, this.host.applicationId, source.topic);
        const list = out.get(topic) ?? [];
        list.push(task.partition);
        out.set(topic, list);
      }
    }
    return out;
  }

  /** Real input topic -> the sub-topology that reads it. */
  private topicRoutes(): Map<string, Subtopology> {
    const routes = new Map<string, Subtopology>();
    for (const sub of this.subtopologies)
      for (const s of sub.sources)
        routes.set(resolveTopic(this.topology, this.host.applicationId, s.topic), sub);
    return routes;
  }
}

/** Kafka's default partitioner for a non-null key: murmur2 of its bytes, made positive, modulo the count. */
export function partitionOfBytes(bytes: Uint8Array, partitions: number): number {
  return (murmur2(bytes) & 0x7fffffff) % partitions;
}
