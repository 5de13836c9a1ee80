/** The topics a Kafka app creates come only from the topology's declared names. */
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { planTopics } from '../../../src/runtime/kafka/topic-plan.js';
import { resolveTopic } from '../../../src/runtime/topic-names.js';

function plan(known: Map<string, number>, createSourceTopics = false) {
  const b = new StreamsBuilder();
  const packets = b.stream<string, { dst: string }>('packets');
  packets.routeByLayer({ tcp: 'packets.tcp', default: 'packets.other' });
  packets
    .groupBy((_, p) => p.dst)
    .count({ name: 'per-dst' })
    .toStream()
    .to('counts');
  const topology = b.build();
  return planTopics(topology, known, {
    kafka: { brokers: ['127.0.0.1:1'], createSourceTopics },
    resolve: (t) => resolveTopic(topology, 'netmon', t),
    deadLetterTopic: 'netmon-dead-letters',
    changelogTopic: (store) => `netmon-${store}-changelog`,
  });
}

describe('planTopics', () => {
  it('plans sinks, the repartition topic, the dead-letter topic and compacted changelogs, nothing else', () => {
    const topics = plan(new Map([['packets', 6]]));
    const names = topics.map((t) => t.topic);
    expect(names).toHaveLength(6);
    expect(names.filter((n) => /^netmon-repartition-\d+-repartition$/.test(n))).toHaveLength(1);
    expect(names.filter((n) => !n.endsWith('-repartition')).sort()).toEqual([
      'counts',
      'netmon-dead-letters',
      'netmon-per-dst-store-changelog',
      'packets.other',
      'packets.tcp',
    ]);
    const repartition = topics.find((t) => t.topic.endsWith('-repartition'));
    expect(repartition?.partitions).toBe(6); // follows the source topic when not declared
    // Event-time timestamps of an old replay must not expire before they are read.
    expect(repartition?.config).toMatchObject({ 'retention.ms': '-1', 'cleanup.policy': 'delete' });
    const changelog = topics.find((t) => t.topic.endsWith('-changelog'));
    expect(changelog).toMatchObject({ partitions: 6, config: { 'cleanup.policy': 'compact' } });
  });

  it('refuses a missing source topic unless told to create it', () => {
    expect(() => plan(new Map())).toThrow(/Source topic "packets" does not exist.*createSourceTopics/);
    expect(plan(new Map(), true).map((t) => t.topic)).toContain('packets');
  });
});
