/**
 * One node of a 3-node cluster crashes (SIGKILL) under a running app: with replication factor 3 and
 * min.insync.replicas 2 every partition still has a leader and enough replicas, so the at-least-once
 * app keeps counting without a pause worth an error, and no window's final count falls short of the
 * input's (at-least-once: a retried send may count a record twice, never drop one).
 * The node is brought back at the end. The cluster is this file's own, never the suite's shared broker.
 */
import type { Kafka } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { startNode, stopNode } from '../../../scripts/kafka/broker.js';
import { uniqueName } from '../../helpers/kafka.js';
import {
  describeApp,
  flowChunk,
  flowCountApp,
  latestCounts,
  recordsIn,
  referenceCounts,
  waitUntil,
} from './fault-workload.js';
import { recentBase } from './kafka-test-io.js';
import { createSettledTopic, kafkaAt, startOwnBroker, stopOwnBrokers } from './own-broker.js';
import { startSteadyProducer } from './steady-producer.js';

afterAll(stopOwnBrokers);

/** Leader and in-sync replicas of partition 0 of `topic`. */
async function partitionZero(kafka: Kafka, topic: string): Promise<{ leader: number; isr: number[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const p = meta?.partitions.find((x) => x.partitionId === 0);
    if (!p) throw new Error(`no partition 0 in ${topic}`);
    return { leader: p.leader, isr: [...p.isr].sort() };
  } finally {
    await admin.disconnect();
  }
}

/** Java's String.hashCode, which Kafka uses to place a group on a __consumer_offsets partition. */
function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** The node coordinating `groupId`: the leader of its __consumer_offsets partition. */
async function groupCoordinator(kafka: Kafka, groupId: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics;
    const partitions = meta?.partitions ?? [];
    // Kafka's Utils.abs: the sign bit cleared, then modulo the partition count.
    const index = (javaHashCode(groupId) & 0x7fffffff) % partitions.length;
    const leader = partitions.find((p) => p.partitionId === index)?.leader;
    if (leader === undefined) throw new Error(`no leader for __consumer_offsets-${index}`);
    return leader;
  } finally {
    await admin.disconnect();
  }
}

/** Leaders of every partition of `topic`. */
async function leaders(kafka: Kafka, topic: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return (meta?.partitions ?? []).map((p) => p.leader);
  } finally {
    await admin.disconnect();
  }
}

describe('StreamsApp on Kafka: a cluster node crashes', () => {
  it('keeps counting when the leader of an input partition is SIGKILLed, nothing lost', async () => {
    const cluster = await startOwnBroker({
      nodes: 3,
      // Notice the dead node within seconds (default 9 s), so its partitions get new leaders quickly.
      extraProperties: { 'broker.session.timeout.ms': 4000, 'broker.heartbeat.interval.ms': 1000 },
    });
    const kafka = kafkaAt(cluster.bootstrap);
    const input = await createSettledTopic(kafka, 'flows', 3, 3);
    expect((await partitionZero(kafka, input)).isr).toEqual([1, 2, 3]);
    const output = uniqueName('flow-counts');
    const feed = startSteadyProducer(kafka, input, flowChunk(recentBase(), 50), 50);

    const applicationId = uniqueName('node-kill');
    const { app, states } = flowCountApp(cluster.bootstrap, input, output, applicationId, 3);
    try {
      await app.start();
      await waitUntil('records before the crash', () => recordsIn(app) >= 500, 30_000);

      // A node that leads input partitions but does not coordinate the app's group: kafkajs keeps the
      // coordinator it found first, and losing that one is a different story (see the report in README).
      const coordinator = await groupCoordinator(kafka, applicationId);
      const victim = (await leaders(kafka, input)).find((n) => n !== coordinator) ?? (coordinator % 3) + 1;
      await stopNode({ dir: cluster.dir, nodeId: victim, signal: 'SIGKILL', log: () => {} });
      const inAtCrash = recordsIn(app);

      // The app goes on with two nodes: input keeps being processed, no error, RUNNING. The bound is
      // generous: a fetch stuck on the dead leader ends only at the client's request timeout (30 s),
      // then metadata refresh and retry backoff follow; in one CI run on a loaded machine 40 s
      // were not enough (549 records in, no progress yet), in others it took under 15 s.
      await waitUntil(
        'processing with a node down',
        () => app.state === 'RUNNING' && recordsIn(app) > inAtCrash + 1000,
        100_000,
        () => `${describeApp(app, states)}; ${inAtCrash} records in at the crash`,
      );
      expect(await leaders(kafka, input)).not.toContain(victim);
      await feed.stop();

      const expected = await referenceCounts(kafka, input);
      const { latest } = await latestCounts(kafka, output, expected, 45_000);
      expect(app.error).toBeUndefined();
      expect(states).not.toContain('ERROR');
      // At-least-once: every window, and no window short of its input. A window may count more:
      // a send to the dying leader can be appended there and replicated, yet unacknowledged, and
      // the client's retry to the new leader writes it again (the producer is not idempotent).
      // Exact counts under faults are what exactly-once is for.
      expect([...latest.keys()].sort()).toEqual([...expected.keys()].sort());
      const short = [...expected].filter(([window, n]) => (latest.get(window) ?? 0) < n);
      expect(short, 'windows that lost records').toEqual([]);

      // The crashed node comes back from its data and rejoins the ISR of the input.
      await startNode({ dir: cluster.dir, nodeId: victim, log: () => {} });
      let isr = (await partitionZero(kafka, input)).isr;
      for (let i = 0; i < 60 && !isr.includes(victim); i++) {
        await new Promise((r) => setTimeout(r, 500));
        isr = (await partitionZero(kafka, input)).isr;
      }
      expect(isr).toEqual([1, 2, 3]);
      expect(app.state).toBe('RUNNING');
    } finally {
      await feed.stop();
      await app.close();
    }
  }, 240_000);
});
