import type { Topology } from './topology.js';

/** Renders the topology as indented text: one block per sub-topology, then the stores. */
export function describeTopology(topology: Topology): string {
  const lines: string[] = ['Topology'];
  for (const sub of topology.subtopologies()) {
    lines.push(`  Sub-topology ${sub.id}`);
    for (const node of sub.nodes) {
      if (node.kind === 'source') {
        const extra = node.connector ? `, fed by ${node.connector.name}` : '';
        lines.push(`    Source     ${node.name} (topic: ${node.topic}${extra})`);
      } else if (node.kind === 'processor') {
        const stores = node.stores.length > 0 ? ` (stores: ${node.stores.join(', ')})` : '';
        lines.push(`    Processor  ${node.name} [${node.label}]${stores}`);
      } else {
        const target =
          node.topic !== undefined ? `topic: ${node.topic}` : `connector: ${node.connector?.name}`;
        lines.push(`    Sink       ${node.name} (${target})`);
      }
      const children = topology.children(node.name);
      if (children.length > 0) lines.push(`      --> ${children.join(', ')}`);
      const parents = topology.parents(node.name);
      if (parents.length > 0) lines.push(`      <-- ${parents.join(', ')}`);
    }
  }
  const stores = topology.stores();
  if (stores.length > 0) {
    lines.push('  Stores');
    for (const s of stores) {
      const retention = s.retentionMs !== undefined ? `, retention ${s.retentionMs} ms` : '';
      lines.push(`    ${s.name} (${s.kind}, ${s.backend}${retention})`);
    }
  }
  const internal = topology.internalTopics();
  if (internal.length > 0) {
    lines.push('  Internal topics');
    for (const t of internal) lines.push(`    ${t.name}`);
  }
  return `${lines.join('\n')}\n`;
}
