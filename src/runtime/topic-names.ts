import type { Topology } from './topology/topology.js';

/** The real name of a topic: internal (repartition) topics are prefixed with the applicationId. */
export function resolveTopic(topology: Topology, applicationId: string, topic: string): string {
  return topology.isInternalTopic(topic) ? `${applicationId}-${topic}` : topic;
}

/** The dead-letter topic's name: the configured one, or "<applicationId>-dead-letters". */
export function deadLetterTopicName(applicationId: string, configured?: string): string {
  return configured ?? `${applicationId}-dead-letters`;
}
