import { TopologyError } from '../errors.js';
import type { Topology } from './topology.js';

/**
 * Rejects graphs that cannot run, naming the node at fault:
 * - a cycle, including one closed through a topic (a sink writing a topic a source upstream reads);
 * - a stream that ends without a sink (a leaf that is neither a sink nor a terminal processor);
 * - two sources reading one topic;
 * - whatever a node's own check reports (window specs, joins of streams that are not co-partitioned).
 */
export function validateTopology(topology: Topology): void {
  const nodes = topology.nodes();
  if (nodes.length === 0)
    throw new TopologyError('The topology is empty: add at least one source and one sink.');

  const sourceOfTopic = new Map<string, string>();
  for (const node of nodes) {
    if (node.kind !== 'source') continue;
    const other = sourceOfTopic.get(node.topic);
    if (other) {
      throw new TopologyError(
        `Sources "${other}" and "${node.name}" both read topic "${node.topic}"; read it once and branch the stream.`,
        node.name,
      );
    }
    sourceOfTopic.set(node.topic, node.name);
  }

  for (const node of nodes) {
    if (topology.children(node.name).length > 0) continue;
    if (node.kind === 'sink') continue;
    if (node.kind === 'processor' && node.terminal) continue;
    throw new TopologyError(
      `The stream ending at "${node.name}" has no sink: end it with to(), forEach(), process() or an aggregation.`,
      node.name,
    );
  }

  for (const node of nodes) {
    if (node.kind !== 'processor' || !node.validate) continue;
    const problem = node.validate(topology);
    if (problem) throw new TopologyError(`${node.name}: ${problem}`, node.name);
  }

  const cycle = findCycle(topology, sourceOfTopic);
  if (cycle) {
    throw new TopologyError(
      `The topology has a cycle: ${cycle.join(' -> ')}. A record would loop forever; break it with a different topic.`,
      cycle[0],
    );
  }
}

/** Depth-first search over node edges plus sink(topic) -> source(topic) edges; returns one cycle's nodes. */
function findCycle(topology: Topology, sourceOfTopic: Map<string, string>): string[] | undefined {
  const next = (name: string): string[] => {
    const node = topology.node(name);
    const out = [...topology.children(name)];
    if (node?.kind === 'sink' && node.topic !== undefined) {
      const source = sourceOfTopic.get(node.topic);
      if (source) out.push(source);
    }
    return out;
  };
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'active');
    path.push(name);
    for (const child of next(name)) {
      const s = state.get(child);
      if (s === 'active') return [...path.slice(path.indexOf(child)), child];
      if (s === undefined) {
        const found = visit(child);
        if (found) return found;
      }
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const node of topology.nodes()) {
    if (state.has(node.name)) continue;
    const found = visit(node.name);
    if (found) return found;
  }
  return undefined;
}
