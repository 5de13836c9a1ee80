/**
 * The package as users import it: `npm test` builds dist/ first, and Node resolves the package's own
 * name through its exports map (self-reference), exactly as it would from node_modules.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function importInNode(specifier: string, expression: string): string {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(${expression});`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
}

describe('package exports', () => {
  it('the main entry exposes the DSL, runtimes, windows, stats and stores', () => {
    const names = importInNode('tributary', 'Object.keys(m).sort().join(",")').split(',');
    for (const name of [
      'StreamsBuilder',
      'StreamsApp',
      'TopologyTestDriver',
      'Topology',
      'windows',
      'stats',
      'createStore',
      'fromObservable',
      'VERSION',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('connectors are subpath imports, so the core does not load their SDKs', () => {
    expect(importInNode('tributary/adx', 'typeof m.adxSink')).toBe('function');
    expect(importInNode('tributary/duckdb', 'typeof m.duckDbSink')).toBe('function');
    expect(importInNode('tributary/avro', 'typeof m.avroSerde')).toBe('function');
    expect(importInNode('tributary/tshark', 'Object.keys(m).length > 0')).toBe('true');
    expect(importInNode('tributary/kafka', 'Object.keys(m).length > 0')).toBe('true');
  });

  it('ships type declarations next to each entry', () => {
    expect(
      importInNode(
        'node:fs',
        'm.existsSync("dist/index.d.ts") && m.existsSync("dist/connectors/adx/index.d.ts")',
      ),
    ).toBe('true');
  });
});
