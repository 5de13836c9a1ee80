/** Shared helpers of the window and join tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamRecord, Windowed } from '../../../src/runtime/record.js';

/** "key@[start,end)=value@timestamp", the window with tributary's exclusive end. */
export function showWindowed(record: StreamRecord<Windowed<string>, unknown>): string {
  const { key, window } = record.key;
  return `${key}@[${window.start},${window.end})=${record.value}@${record.timestamp}`;
}

/** A fresh state directory, and a function that removes it. */
export function tempStateDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-windows-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small deterministic pseudo-random generator (mulberry32), so failures can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Metric value whose name ends with `suffix` (node names carry generated numbers). */
export function metricEndingWith(metrics: Map<string, number>, suffix: string): number | undefined {
  for (const [name, value] of metrics) if (name.endsWith(suffix)) return value;
  return undefined;
}
