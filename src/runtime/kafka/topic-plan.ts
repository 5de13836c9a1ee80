import { TributaryError } from '../errors.js';
import type { Topology } from '../topology/topology.js';
import type { NewTopic } from './client-port.js';
import type { KafkaOptions } from './kafka-options.js';

/**
 * Repartition topics never expire records by time: their timestamps are event times, which may be
 * long past (a replayed capture), and time-based retention would delete them before they are read.
 */
export const REPARTITION_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '-1',
};

/** What planTopics needs besides the topology. */
export interface TopicPlanContext {
  readonly kafka: KafkaOptions;
  /** Partitions of created topics when the topology declares none. */
  readonly partitions?: number | undefined;
  /** Real name of a topology topic (internal topics get the applicationId prefix). */
  readonly resolve: (topic: string) => string;
  readonly deadLetterTopic: string;
  readonly changelogTopic: (store: string) => string;
}

/**
 * The topics an app creates: only names the topology declares (missing source topics when
 * `kafka.createSourceTopics` or a connector feeds them, repartition topics, sink topics, the
 * dead-letter topic, and one compacted changelog per store), never anything taken from a record.
 * `known` holds the partition counts of source topics that already exist.
 */
export function planTopics(
  topology: Topology,
  known: ReadonlyMap<string, number>,
  context: TopicPlanContext,
): NewTopic[] {
  const { kafka, partitions, resolve } = context;
  const replicationFactor = kafka.replicationFactor;
  const topics: NewTopic[] = [];
  const sources = topology.nodes().flatMap((n) => (n.kind === 'source' ? [n] : []));
  for (const s of sources) {
    if (topology.isInternalTopic(s.topic) || known.has(s.topic)) continue;
    // A connector source's topic belongs to the app: the app feeds it.
    if (!kafka.createSourceTopics && !s.connector) {
      throw new TributaryError(
        `Source topic "${s.topic}" does not exist on the cluster. Create it, or set kafka.createSourceTopics: true.`,
      );
    }
    topics.push({ topic: s.topic, partitions: s.partitions ?? partitions ?? 1, replicationFactor });
  }
  const maxSource = Math.max(1, ...known.values(), ...topics.map((t) => t.partitions));
  for (const t of topology.internalTopics()) {
    topics.push({
      topic: resolve(t.name),
      partitions: t.partitions ?? partitions ?? maxSource,
      replicationFactor,
      // Repartition records keep their event time as the Kafka timestamp: with time-based retention
      // a replay of an old capture would be deleted before it is read (as Kafka Streams does).
      config: REPARTITION_TOPIC_CONFIG,
    });
  }
  for (const n of topology.nodes()) {
    if (n.kind === 'sink' && n.topic !== undefined && !topology.isInternalTopic(n.topic)) {
      topics.push({ topic: n.topic, partitions: partitions ?? 1, replicationFactor });
    }
  }
  topics.push({ topic: context.deadLetterTopic, partitions: 1, replicationFactor });
  const planned = new Map([...known, ...topics.map((t) => [t.topic, t.partitions] as const)]);
  for (const sub of topology.subtopologies()) {
    // A store's changelog has one partition per task of its sub-topology.
    const counts = sub.sources.map((s) => planned.get(resolve(s.topic)) ?? 1);
    for (const spec of sub.stores) {
      if (spec.changelog === false) continue;
      topics.push({
        topic: context.changelogTopic(spec.name),
        partitions: Math.max(1, ...counts),
        replicationFactor,
        config: { 'cleanup.policy': 'compact' },
      });
    }
  }
  return topics;
}
