import type { Subtopology } from './subtopologies.js';

/**
 * Sub-topologies ordered so that each one comes after every sub-topology writing to a topic it
 * reads (a repartition topic, or a user topic the topology both writes and reads). Flushing them in
 * this order at end of input lets what an upstream part emits reach the downstream part before it
 * flushes in turn. Topology validation rejects cycles through topics; should one slip through, the
 * part that closes it is taken as it comes rather than looping.
 */
export function upstreamFirst<S extends Pick<Subtopology, 'id' | 'sources' | 'sinks'>>(
  parts: readonly S[],
): S[] {
  const writersOf = new Map<string, S[]>();
  for (const part of parts) {
    for (const sink of part.sinks) {
      if (sink.topic === undefined) continue;
      const writers = writersOf.get(sink.topic) ?? [];
      writers.push(part);
      writersOf.set(sink.topic, writers);
    }
  }
  const ordered: S[] = [];
  const placed = new Set<number>();
  const visiting = new Set<number>();
  const place = (part: S): void => {
    if (placed.has(part.id) || visiting.has(part.id)) return;
    visiting.add(part.id);
    for (const source of part.sources) for (const writer of writersOf.get(source.topic) ?? []) place(writer);
    visiting.delete(part.id);
    placed.add(part.id);
    ordered.push(part);
  };
  for (const part of parts) place(part);
  return ordered;
}
