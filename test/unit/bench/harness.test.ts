/**
 * The bench harness: table rendering, measure(), bench discovery, and the runner's answer to an unknown
 * bench name (run for real through tsx, as `npm run bench -- <name>` does).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverBenches } from '../../../bench/harness/discover.js';
import { formatNumber, measure, peakRssMb, renderTable } from '../../../bench/harness/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'tributary-bench-harness-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('renderTable', () => {
  it('aligns numbers right and text left, with columns in first-seen order', () => {
    const text = renderTable('title line', [
      { scenario: 'small', 'records/s': 1234567.8 },
      { scenario: 'a longer name', 'records/s': 12, extra: 'x' },
    ]);
    expect(text.split('\n')).toEqual([
      'title line',
      'scenario       records/s  extra',
      '-------------  ---------  -----',
      'small          1,234,568',
      'a longer name         12  x',
    ]);
  });

  it('formats whole numbers with separators and fractions with at most two decimals', () => {
    expect(formatNumber(200000)).toBe('200,000');
    expect(formatNumber(0.53421)).toBe('0.53');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('measure', () => {
  it('reports the records fn returns and a rate consistent with the elapsed time', async () => {
    const m = await measure(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return 500;
    });
    expect(m.records).toBe(500);
    expect(m.elapsedMs).toBeGreaterThan(0);
    expect(m.recordsPerSec).toBeCloseTo((500 * 1000) / m.elapsedMs, 6);
  });

  it('rejects a fn that does not return a record count', async () => {
    await expect(measure(() => Number.NaN)).rejects.toThrow(/must return the number of records/);
  });

  it('reads the peak RSS of this process in MiB: never below the RSS it has right now', () => {
    const currentMiB = process.memoryUsage().rss / 1024 / 1024;
    expect(peakRssMb()).toBeGreaterThanOrEqual(Math.floor(currentMiB * 10) / 10 - 0.1);
  });
});

describe('discoverBenches', () => {
  it('finds top-level scripts and skips the runner, declarations, helpers and subfolders', () => {
    const dir = join(scratch, 'benches');
    mkdirSync(join(dir, 'harness'), { recursive: true });
    writeFileSync(join(dir, 'run.ts'), 'console.log(1);\n');
    writeFileSync(join(dir, 'zeta.ts'), 'console.log("zeta");\n');
    writeFileSync(join(dir, 'alpha.ts'), 'const x = 1;\nconsole.log(x);\n');
    writeFileSync(join(dir, 'store-helper.ts'), 'export class Helper {}\n');
    writeFileSync(join(dir, 'types.d.ts'), 'declare module "x" {}\n');
    writeFileSync(join(dir, 'notes.md'), '# notes\n');
    writeFileSync(join(dir, 'harness', 'inner.ts'), 'console.log(1);\n');
    expect(discoverBenches(dir).map((b) => b.name)).toEqual(['alpha', 'zeta']);
    expect(discoverBenches(dir)[0]?.file).toBe(join(dir, 'alpha.ts'));
  });
});

describe('npm run bench -- <unknown>', () => {
  it('exits with code 2 and lists the benches that exist', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'no-such-bench'], {
      encoding: 'utf8',
      env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No bench "no-such-bench"');
    expect(result.stderr).toMatch(/Available benches: .*kafka-produce/);
    expect(result.stdout).toBe('');
  });
});
