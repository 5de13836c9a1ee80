import { TributaryError } from '../errors.js';
import type { RecordHeaders, StreamRecord } from '../record.js';
import { partitionForKey } from './partitioner.js';

/** A record as written to the log (its origin is assigned on append). */
export interface LogRecord {
  readonly key: unknown;
  readonly value: unknown;
  readonly timestamp: number;
  readonly headers?: RecordHeaders | undefined;
}

class PartitionLog {
  /** Offset of records[0]. */
  baseOffset = 0;
  records: StreamRecord<unknown, unknown>[] = [];

  get endOffset(): number {
    return this.baseOffset + this.records.length;
  }

  /** Drops records below `offset` (all groups have committed past them). */
  truncateBefore(offset: number): void {
    const drop = Math.min(offset - this.baseOffset, this.records.length);
    // Splice in chunks: cheap amortized, and keeps the array from shifting on every commit.
    if (drop > 0 && (drop >= 4096 || drop === this.records.length)) {
      this.records.splice(0, drop);
      this.baseOffset += drop;
    }
  }
}

/** Options of {@link EmbeddedLog}. */
export interface EmbeddedLogOptions {
  /**
   * Records kept per partition of a topic no consumer group reads (a topology's output topics in
   * embedded mode): older ones are dropped and counted in `truncatedUnread()`, so a long-running
   * embedded pipeline does not keep every output in memory. Offsets keep counting. Default 100,000.
   */
  retainUnreadRecords?: number;
}

/**
 * The in-memory log the embedded runtime runs on when no broker is configured: named topics with
 * partitions and offsets, consumer-group commits, and truncation of what every group has
 * committed (so a long-running embedded pipeline does not grow without bound). Topics nobody
 * reads keep their latest `retainUnreadRecords` per partition.
 * Topics exist only when created: nothing in a record creates one.
 */
export class EmbeddedLog {
  private readonly topics = new Map<string, PartitionLog[]>();
  private readonly commits = new Map<string, Map<string, number>>();
  private readonly waiters = new Set<() => void>();
  private rr = 0;
  private readonly retainUnread: number;
  private dropped = 0;

  constructor(options: EmbeddedLogOptions = {}) {
    this.retainUnread = options.retainUnreadRecords ?? 100_000;
  }

  /** Records dropped from topics no group reads (see EmbeddedLogOptions.retainUnreadRecords). */
  truncatedUnread(): number {
    return this.dropped;
  }

  /** Creates a topic; creating an existing topic with the same partition count is a no-op. */
  createTopic(name: string, partitions = 1): void {
    if (!(Number.isInteger(partitions) && partitions >= 1)) {
      throw new TributaryError(
        `Topic "${name}" needs a positive whole number of partitions, got ${partitions}.`,
      );
    }
    const existing = this.topics.get(name);
    if (existing) {
      if (existing.length !== partitions) {
        throw new TributaryError(
          `Topic "${name}" already exists with ${existing.length} partitions; cannot recreate it with ${partitions}.`,
        );
      }
      return;
    }
    this.topics.set(
      name,
      Array.from({ length: partitions }, () => new PartitionLog()),
    );
  }

  hasTopic(name: string): boolean {
    return this.topics.has(name);
  }

  partitionCount(name: string): number {
    return this.partitions(name).length;
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** Appends a record (to `partition`, or by key hash) and returns where it landed. */
  append(topic: string, record: LogRecord, partition?: number): { partition: number; offset: number } {
    const partitions = this.partitions(topic);
    const p = partition ?? partitionForKey(record.key, partitions.length, () => this.rr++);
    const log = partitions[p];
    if (!log)
      throw new TributaryError(`Topic "${topic}" has no partition ${p} (it has ${partitions.length}).`);
    const offset = log.endOffset;
    log.records.push({
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
      headers: record.headers,
      origin: { topic, partition: p, offset },
    });
    // A partition no group has committed on is nobody's input: keep only its latest records.
    if (log.records.length > this.retainUnread && !this.commits.has(`${topic}\u0000${p}`)) {
      const before = log.baseOffset;
      log.truncateBefore(log.endOffset - this.retainUnread);
      this.dropped += log.baseOffset - before;
    }
    if (this.waiters.size > 0) this.wake();
    return { partition: p, offset };
  }

  /** Up to `max` records of a partition from `offset` on (records already truncated are skipped). */
  read(topic: string, partition: number, offset: number, max: number): StreamRecord<unknown, unknown>[] {
    const log = this.partition(topic, partition);
    const from = Math.max(offset, log.baseOffset) - log.baseOffset;
    return log.records.slice(from, from + max);
  }

  /** Peeks at the timestamp of the record at `offset`, or undefined when there is none yet. */
  timestampAt(topic: string, partition: number, offset: number): number | undefined {
    const log = this.partition(topic, partition);
    return log.records[Math.max(offset, log.baseOffset) - log.baseOffset]?.timestamp;
  }

  endOffset(topic: string, partition: number): number {
    return this.partition(topic, partition).endOffset;
  }

  /** Records a group's next offset to read, and truncates what every group has committed. */
  commit(group: string, topic: string, partition: number, offset: number): void {
    const key = `${topic}\u0000${partition}`;
    let groups = this.commits.get(key);
    if (!groups) {
      groups = new Map();
      this.commits.set(key, groups);
    }
    groups.set(group, offset);
    let min = Number.POSITIVE_INFINITY;
    for (const o of groups.values()) if (o < min) min = o;
    this.partition(topic, partition).truncateBefore(min);
  }

  committed(group: string, topic: string, partition: number): number {
    return this.commits.get(`${topic}\u0000${partition}`)?.get(group) ?? 0;
  }

  /** Resolves on the next append (or after `timeoutMs`), so an idle runtime sleeps instead of spinning. */
  waitForAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private partitions(topic: string): PartitionLog[] {
    const partitions = this.topics.get(topic);
    if (!partitions) {
      throw new TributaryError(
        `Topic "${topic}" does not exist in the embedded log. Topics are created from the topology's declared names only.`,
      );
    }
    return partitions;
  }

  private partition(topic: string, partition: number): PartitionLog {
    const log = this.partitions(topic)[partition];
    if (!log) throw new TributaryError(`Topic "${topic}" has no partition ${partition}.`);
    return log;
  }
}
