import type { Topology } from '../topology/topology.js';
import type { AdminPort } from './client-port.js';
import { planTopics, type TopicPlanContext } from './topic-plan.js';

/**
 * Creates the topics the topology declares (see planTopics) that do not exist yet, then returns the
 * partition count of every topic the app reads or writes (real names).
 */
export async function createAppTopics(
  topology: Topology,
  admin: AdminPort,
  context: TopicPlanContext,
): Promise<Map<string, number>> {
  const sources = topology.nodes().flatMap((n) => (n.kind === 'source' ? [n] : []));
  const external = sources.filter((s) => !topology.isInternalTopic(s.topic)).map((s) => s.topic);
  const known = await admin.partitionCounts(external);
  const topics = planTopics(topology, known, context);
  await admin.createTopics(topics);
  const all = [...new Set([...external, ...topics.map((t) => t.topic)])];
  return admin.partitionCounts(all);
}
