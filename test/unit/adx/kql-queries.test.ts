/**
 * docs/kql/network-monitor.kql is for people (dashboards), but its setup commands and the
 * columns its queries use must follow the table schemas in src/connectors/adx.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AdxTableSchema,
  ALERTS_TABLE,
  createMergeTableCommand,
  PACKET_STATS_TABLE,
  PACKETS_TABLE,
} from '../../../src/connectors/adx/index.js';

const text = readFileSync(new URL('../../../docs/kql/network-monitor.kql', import.meta.url), 'utf8');
const blocks = text
  .split(/\n\s*\n/)
  .map((b) =>
    b
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('//'))
      .join('\n')
      .trim(),
  )
  .filter((b) => b.length > 0);
const schemas: AdxTableSchema[] = [PACKET_STATS_TABLE, ALERTS_TABLE, PACKETS_TABLE];

describe('docs/kql/network-monitor.kql', () => {
  it('creates exactly the tables the connector defines', () => {
    const setup = blocks.filter((b) => b.startsWith('.create-merge table'));
    expect(setup).toEqual(schemas.map(createMergeTableCommand));
  });

  it.each(schemas.map((s) => [s.table, s] as const))(
    'queries on %s name only its columns',
    (table, schema) => {
      const queries = blocks.filter((b) => new RegExp(`^${table}$`, 'm').test(b));
      expect(queries.length).toBeGreaterThan(0);
      const columns = new Set(schema.columns.map((c) => c.name));
      for (const query of queries) {
        const unknown = unknownNames(query).filter((name) => !columns.has(name));
        expect(unknown, `${table} query names unknown columns:\n${query}`).toEqual([]);
      }
    },
  );
});

// KQL words the queries use that are neither columns nor names they define.
const KQL_WORDS = new Set(
  (
    'let where summarize by project extend top desc asc render timechart piechart anomalychart with order ' +
    'make series default on from to step mv expand typeof datetime real int long between and or in ' +
    'anomalycolumns'
  ).split(' '),
);

/** Identifiers in `query` that are not KQL words, function calls, tables, or names it defines. */
function unknownNames(query: string): string[] {
  const plain = query
    .replace(/\['([^']+)'\]/g, '$1') // ['name'] -> name
    .replace(/"[^"]*"/g, '""'); // string literals carry no names
  const defined = new Set([...plain.matchAll(/\b([A-Za-z_]\w*)\s*=(?!=)/g)].map((m) => m[1]!));
  const tables = new Set(schemas.map((s) => s.table));
  const names = [...plain.matchAll(/\b([A-Za-z_]\w*)\b(?!\s*\()/g)].map((m) => m[1]!);
  return [...new Set(names)].filter((n) => !KQL_WORDS.has(n) && !defined.has(n) && !tables.has(n));
}
