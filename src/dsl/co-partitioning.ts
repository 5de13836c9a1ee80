import { upstreamSources } from '../runtime/topology/subtopologies.js';
import type { Topology } from '../runtime/topology/topology.js';

/**
 * Checks that two joined streams read topics with the same declared partition count, so equal keys
 * meet in the same task. Returns a message naming both sides' topics when they differ.
 * Topics with no declared count are checked by the runtime against the real topics at start.
 */
export function checkCoPartitioned(
  topology: Topology,
  leftNode: string,
  rightNode: string,
): string | undefined {
  const left = upstreamSources(topology, leftNode);
  const right = upstreamSources(topology, rightNode);
  const declared = [...left, ...right].filter((s) => s.partitions !== undefined);
  const counts = new Set(declared.map((s) => s.partitions));
  if (counts.size <= 1) return undefined;
  const list = declared.map((s) => `${s.topic} (${s.partitions})`).join(', ');
  return `the joined streams are not co-partitioned: their topics have different partition counts: ${list}. Repartition one side with repartition({ partitions }) first.`;
}
