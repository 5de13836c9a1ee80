import type { AdminPort, PartitionOffset } from './client-port.js';
import { addCount, type Counters } from './engine-counters.js';

/** Default of KafkaOptions.repartitionPurgeIntervalMs: Kafka Streams' repartition.purge.interval.ms. */
export const DEFAULT_REPARTITION_PURGE_INTERVAL_MS = 30_000;

/** What the purger works with. */
export interface RepartitionPurgeParts {
  readonly admin: AdminPort;
  /** The real names of the app's repartition topics. */
  readonly repartitionTopics: ReadonlySet<string>;
  /** Least time between two purges (ms); 0 turns purging off. */
  readonly intervalMs: number;
  readonly clock: () => number;
  readonly counters: Counters;
}

/**
 * Deletes what the app has consumed and committed from its repartition topics, which keep records
 * without a time limit (their timestamps are event times): after a commit, every repartition partition
 * the commit covered loses its records below the committed offset (Kafka's DeleteRecords), at most once
 * per interval. The request runs beside processing, one at a time; a failed one is counted and retried
 * with the next commit's offsets, never an error of the app: deleting is housekeeping.
 *
 * Deleting below a committed offset is safe whoever owns the partition by then: the group never reads
 * below its committed offsets again, and a later owner's commits only move them further.
 */
export class RepartitionPurger {
  /** The latest committed offset of each repartition partition not purged yet, "topic:partition" -> position. */
  private readonly pending = new Map<string, PartitionOffset>();
  private lastPurge: number;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly parts: RepartitionPurgeParts) {
    this.lastPurge = parts.clock();
  }

  /** Offsets a commit made durable; purges the repartition partitions among them when the interval is up. */
  committed(offsets: readonly PartitionOffset[]): void {
    const { repartitionTopics, intervalMs, clock, admin } = this.parts;
    if (intervalMs <= 0 || !admin.deleteRecordsBefore) return;
    for (const o of offsets)
      if (repartitionTopics.has(o.topic)) this.pending.set(`${o.topic}:${o.partition}`, o);
    const now = clock();
    if (this.inFlight || this.pending.size === 0 || now - this.lastPurge < intervalMs) return;
    this.lastPurge = now;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.inFlight = this.purge(batch).finally(() => {
      this.inFlight = undefined;
    });
  }

  /** Waits for the purge under way, if any (before the admin client disconnects). */
  async close(): Promise<void> {
    await this.inFlight;
  }

  private async purge(batch: readonly PartitionOffset[]): Promise<void> {
    const byTopic = new Map<string, Map<number, number>>();
    for (const o of batch) {
      const partitions = byTopic.get(o.topic) ?? new Map<number, number>();
      partitions.set(o.partition, o.offset);
      byTopic.set(o.topic, partitions);
    }
    for (const [topic, partitions] of byTopic) {
      try {
        await this.parts.admin.deleteRecordsBefore!(topic, partitions);
        addCount(this.parts.counters, 'repartition.purges');
      } catch {
        addCount(this.parts.counters, 'repartition.purge.failures');
        // Ask again with the next commit: unless a newer offset came meanwhile, keep these.
        for (const [partition, offset] of partitions) {
          const key = `${topic}:${partition}`;
          if (!this.pending.has(key)) this.pending.set(key, { topic, partition, offset });
        }
      }
    }
  }
}
