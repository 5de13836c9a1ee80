/**
 * Nodes of a 3-node cluster crash (SIGKILL) under a running app: with replication factor 3 and
 * min.insync.replicas 2 every partition still has a leader and enough replicas, so the at-least-once
 * app keeps counting without a pause worth an error, and no window's final count falls short of the
 * input's (at-least-once: a retried send may count a record twice, never drop one). First the leader of
 * an input partition dies, then (once it is back) the coordinator of the app's group, which kafkajs
 * alone would keep talking to. The cluster is this file's own, never the suite's shared broker.
 */
import type { Kafka } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { startNode, stopNode } from '../../../scripts/kafka/broker.js';
import { uniqueName } from '../../helpers/kafka.js';
import {
  describeApp,
  expectNoWindowShort,
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
    // Kafka's Utils.abs (Math.abs, 0 for Integer.MIN_VALUE), then modulo the partition count. Not the
    // sign bit cleared: that picked the wrong partition for half the group ids.
    const hash = javaHashCode(groupId);
    const index = (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions.length;
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

/** How long the app may take, after a node crashed, to take in 1,000 more input records (ms). */
const RESUME_BOUND_MS = 60_000;

describe('StreamsApp on Kafka: cluster nodes crash', () => {
  it('keeps counting when an input partition leader, then the group coordinator, is SIGKILLed, nothing lost', async () => {
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

    /** SIGKILLs `victim` and waits until the app, RUNNING, has taken in 1,000 more records. */
    const crash = async (victim: number, what: string) => {
      await stopNode({ dir: cluster.dir, nodeId: victim, signal: 'SIGKILL', log: () => {} });
      const inAtCrash = recordsIn(app);
      // A fetch or send to the dead node fails at once (its port is closed), then leadership moves
      // within broker.session.timeout.ms; a dead coordinator makes the consumer join the group again.
      await waitUntil(
        `processing with ${what} (node ${victim}) down`,
        () => app.state === 'RUNNING' && recordsIn(app) > inAtCrash + 1000,
        RESUME_BOUND_MS,
        () => `${describeApp(app, states)}; ${inAtCrash} records in at the crash`,
      );
    };
    /** Starts `node` again from its data and waits until it is back in the input's ISR. */
    const restore = async (node: number) => {
      await startNode({ dir: cluster.dir, nodeId: node, log: () => {} });
      let isr = (await partitionZero(kafka, input)).isr;
      for (let i = 0; i < 60 && !isr.includes(node); i++) {
        await new Promise((r) => setTimeout(r, 500));
        isr = (await partitionZero(kafka, input)).isr;
      }
      expect(isr).toEqual([1, 2, 3]);
    };

    try {
      await app.start();
      await waitUntil('records before the crash', () => recordsIn(app) >= 500, 30_000);

      // 1. A node that leads input partitions but does not coordinate the app's group.
      const coordinator = await groupCoordinator(kafka, applicationId);
      const leader = (await leaders(kafka, input)).find((n) => n !== coordinator) ?? (coordinator % 3) + 1;
      await crash(leader, 'an input partition leader');
      expect(await leaders(kafka, input)).not.toContain(leader);
      await restore(leader);

      // 2. The node coordinating the app's group: commits and heartbeats meet a dead broker until the
      // consumer joins again and finds the new coordinator.
      const coordinatorNow = await groupCoordinator(kafka, applicationId);
      await crash(coordinatorNow, 'the group coordinator');
      expect(await groupCoordinator(kafka, applicationId)).not.toBe(coordinatorNow);
      await feed.stop();

      const expected = await referenceCounts(kafka, input);
      const { latest } = await latestCounts(kafka, output, expected, 45_000);
      expect(app.error).toBeUndefined();
      expect(states).not.toContain('ERROR');
      // At-least-once: a send to the dying leader can be appended and replicated yet unacknowledged,
      // and the retry to the new leader writes it again; records since the last commit before the
      // coordinator died are processed again.
      expectNoWindowShort(latest, expected);

      await restore(coordinatorNow);
      expect(app.state).toBe('RUNNING');
    } finally {
      await feed.stop();
      await app.close();
    }
  }, 300_000);
});
