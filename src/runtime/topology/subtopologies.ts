import type { StoreSpec } from '../../state/store.js';
import type { SinkNode, SourceNode, TopologyNode } from './nodes.js';
import type { Topology } from './topology.js';

/** A connected part of the topology; its tasks (one per input partition) run it independently. */
export interface Subtopology {
  readonly id: number;
  /** Nodes in the order they were added (parents before children). */
  readonly nodes: TopologyNode[];
  readonly sources: SourceNode[];
  readonly sinks: SinkNode[];
  readonly stores: StoreSpec[];
}

/**
 * Splits the graph into parts connected by parent/child edges or by a shared store. Parts talk to
 * each other only through topics, so each can run on its own partitions.
 */
export function splitSubtopologies(topology: Topology): Subtopology[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));

  const nodes = topology.nodes();
  for (const node of nodes) parent.set(node.name, node.name);
  for (const node of nodes) for (const child of topology.children(node.name)) union(node.name, child);
  const userOfStore = new Map<string, string>();
  for (const node of nodes) {
    if (node.kind !== 'processor') continue;
    for (const store of node.stores) {
      const other = userOfStore.get(store);
      if (other) union(other, node.name);
      else userOfStore.set(store, node.name);
    }
  }

  const groups = new Map<string, TopologyNode[]>();
  for (const node of nodes) {
    const root = find(node.name);
    const group = groups.get(root) ?? [];
    group.push(node);
    groups.set(root, group);
  }
  return [...groups.values()].map((group, id) => {
    const storeNames = new Set(group.flatMap((n) => (n.kind === 'processor' ? n.stores : [])));
    return {
      id,
      nodes: group,
      sources: group.filter((n): n is SourceNode => n.kind === 'source'),
      sinks: group.filter((n): n is SinkNode => n.kind === 'sink'),
      stores: topology.stores().filter((s) => storeNames.has(s.name)),
    };
  });
}

/** Names of the source nodes upstream of `nodeName` (following parent edges). */
export function upstreamSources(topology: Topology, nodeName: string): SourceNode[] {
  const seen = new Set<string>();
  const out: SourceNode[] = [];
  const walk = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const node = topology.node(name);
    if (node?.kind === 'source') out.push(node);
    for (const p of topology.parents(name)) walk(p);
  };
  walk(nodeName);
  return out;
}
