import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A bench found in bench/: its name (file name without .ts) and path. */
export interface BenchFile {
  name: string;
  file: string;
}

/**
 * The benches in `benchDir`: its top-level `.ts` scripts, sorted by name. Not benches: the runner
 * itself, type declarations (`.d.ts`), and modules with top-level exports (helpers such as a store used
 * by one bench). Code shared by benches belongs in bench/harness/.
 */
export function discoverBenches(benchDir: string, runner = 'run.ts'): BenchFile[] {
  return readdirSync(benchDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .filter((entry) => entry.name !== runner)
    .map((entry) => ({ name: entry.name.slice(0, -'.ts'.length), file: join(benchDir, entry.name) }))
    .filter((bench) => !isHelperModule(bench.file))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A module that exports something is a helper another bench imports, not a script to run. */
export function isHelperModule(file: string): boolean {
  return /^export\s/m.test(readFileSync(file, 'utf8'));
}
