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

/** Metric value whose name ends with `suffix` (node names carry generated numbers). */
export function metricEndingWith(metrics: Map<string, number>, suffix: string): number | undefined {
  for (const [name, value] of metrics) if (name.endsWith(suffix)) return value;
  return undefined;
}
