/** Shared bits of the tshark integration tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PacketRecord, TsharkSource } from '../../../src/connectors/tshark/index.js';

/** Reads every batch of `source` until it ends; returns the records and the batch sizes. */
export async function drain(
  source: TsharkSource,
  signal: AbortSignal = new AbortController().signal,
): Promise<{ records: PacketRecord[]; batchSizes: number[] }> {
  const records: PacketRecord[] = [];
  const batchSizes: number[] = [];
  for await (const batch of source.batches(signal)) {
    batchSizes.push(batch.length);
    records.push(...batch);
  }
  return { records, batchSizes };
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True while a process with this pid exists (zombies included: they still have an entry). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The state letter of a process from /proc (e.g. "S", "R", "Z"), or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const status = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return status === '' ? undefined : status[0];
  } catch {
    return undefined;
  }
}

/** Waits until `condition` holds, checking every 20 ms, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A mutated copy of `line`: one of `kinds` mutations at random. Kinds 0-3 are shared by every EK
 * fuzz test: truncated (tshark killed mid-line), a character flipped, a character deleted, one of
 * `junk` inserted. Higher kinds are the caller's, through `own(kind)`.
 */
export function mutateLine(
  line: string,
  random: () => number,
  kinds: number,
  junk: readonly string[],
  own: (kind: number) => string,
): string {
  const kind = Math.floor(random() * kinds);
  const at = Math.floor(random() * (line.length + 1));
  switch (kind) {
    case 0:
      return line.slice(0, at);
    case 1:
      return line.slice(0, at) + String.fromCharCode(Math.floor(random() * 94) + 32) + line.slice(at + 1);
    case 2:
      return line.slice(0, at) + line.slice(at + 1);
    case 3:
      return line.slice(0, at) + junk[Math.floor(random() * junk.length)] + line.slice(at);
    default:
      return own(kind);
  }
}

/** Fragments the EK fuzz tests insert into lines: JSON punctuation, literals, a NUL, non-ASCII. */
export const EK_JUNK: readonly string[] = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '\\',
  'null',
  'true',
  '-1e309',
  '\u0000',
  'é',
  '"x":',
  '{}',
  '[]',
];
