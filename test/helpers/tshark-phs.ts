/**
 * tshark's own protocol statistics (`tshark -q -z io,phs`), parsed, and turned into per-output
 * counts with the same routing rule the source uses: the reference that routing tests compare with.
 */
import { execFileSync } from 'node:child_process';
import { type LayerRouting, layerOf } from '../../src/connectors/tshark/index.js';

export interface PhsNode {
  path: string[];
  frames: number;
  children: PhsNode[];
}

/** Parses `tshark -q -z io,phs` output into its tree (indentation: two spaces per level). */
export function protocolHierarchy(file: string): PhsNode[] {
  const output = execFileSync('tshark', ['-q', '-n', '-z', 'io,phs', '-r', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const roots: PhsNode[] = [];
  const stack: PhsNode[] = [];
  for (const line of output.split('\n')) {
    const match = /^( *)(\S+)\s+frames:(\d+) bytes:\d+$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 2;
    stack.length = depth;
    const parent = stack[depth - 1];
    const node: PhsNode = {
      path: [...(parent?.path ?? []), match[2]!],
      frames: Number(match[3]),
      children: [],
    };
    (parent ? parent.children : roots).push(node);
    stack.push(node);
  }
  if (roots.length === 0) throw new Error(`no protocol hierarchy in tshark output:\n${output}`);
  return roots;
}

export function* walk(nodes: PhsNode[]): Generator<PhsNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

/** Outputs per tshark's statistics: frames that end at each node, routed by their protocol path. */
export function countsFromHierarchy(roots: PhsNode[], routing: LayerRouting): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of walk(roots)) {
    const endingHere = node.frames - node.children.reduce((sum, child) => sum + child.frames, 0);
    if (endingHere === 0) continue;
    const output = layerOf({ protocols: node.path }, routing);
    counts.set(output, (counts.get(output) ?? 0) + endingHere);
  }
  return counts;
}
