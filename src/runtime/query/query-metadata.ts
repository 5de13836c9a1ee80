import { TributaryError } from '../errors.js';

/** An instance's query endpoint, as advertised through `kafka.applicationServer` ("host:port"). */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/** Where the value of one key lives. */
export interface KeyQueryMetadata {
  /** The owner's advertised host; undefined when it advertised none (embedded, or no `kafka.applicationServer`). */
  readonly host: string | undefined;
  /** The owner's advertised port; undefined when it advertised none. */
  readonly port: number | undefined;
  /** Partition of the store's input topics the key belongs to (the task `<subtopology>_<partition>`). */
  readonly partition: number;
  /** True when this instance holds the key's partition: `app.store(name)` answers it here. */
  readonly local: boolean;
}

/** A topic partition an instance was assigned. */
export interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One instance of the app and what it holds. */
export interface InstanceMetadata {
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** True for this instance. */
  readonly local: boolean;
  /** Stores of the sub-topologies whose partitions this instance holds, sorted. */
  readonly stores: readonly string[];
  /** Input partitions assigned to this instance, sorted by topic then partition. */
  readonly partitions: readonly AssignedPartition[];
}

/** Parses "host:port" (IPv6 hosts in brackets: "[::1]:8080"). Throws a clear error for anything else. */
export function parseHostInfo(text: string): HostInfo {
  const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port < 1 || port > 65_535) {
    throw new TributaryError(
      `kafka.applicationServer "${text}" is not "host:port" (e.g. "10.0.0.5:7070"): ` +
        'it is the address other instances and clients use to reach this instance’s query server.',
    );
  }
  const host = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { host, port };
}
