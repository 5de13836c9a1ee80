import type { StateStore } from '../../state/store.js';
import type { AppState } from '../app/app-state.js';
import type { TopicPartitions } from '../kafka/client-port.js';

/** One task of this instance, as queries see it. */
export interface LocalTask {
  readonly subtopologyId: number;
  readonly partition: number;
  /** The task's stores by name; undefined while they are being restored from their changelogs. */
  readonly stores: ReadonlyMap<string, StateStore> | undefined;
}

/** A member of the app's consumer group: what it advertised and what it was assigned. */
export interface GroupMember {
  /** Its `kafka.applicationServer` ("host:port"), if it set one. */
  readonly applicationServer: string | undefined;
  readonly assignment: TopicPartitions;
}

/** The group as the coordinator describes it; `stable` is false while it rebalances. */
export interface GroupSnapshot {
  readonly stable: boolean;
  readonly members: readonly GroupMember[];
}

/**
 * What interactive queries need from a running app. The embedded and the Kafka runtime each
 * provide one (see query-hosts.ts); the query code never touches engine internals.
 */
export interface QueryHost {
  readonly applicationId: string;
  state(): AppState;
  localTasks(): Iterable<LocalTask>;
  /** Partitions of a real (resolved) topic, once the app has started. */
  partitionCount(topic: string): number | undefined;
  /**
   * A key's bytes as they are on `topic` (what the default partitioner hashes). A Promise when the
   * topic's key serde is asynchronous; null when the key serializes to nothing.
   */
  keyBytes(topic: string, key: unknown): Uint8Array | null | Promise<Uint8Array | null>;
  /** This instance's `kafka.applicationServer`, if set. */
  readonly applicationServer: string | undefined;
  /** The group's members (Kafka). Undefined when the app runs alone (embedded): everything is local. */
  describeGroup?(): Promise<GroupSnapshot>;
}
