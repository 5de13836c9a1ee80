import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { duckDbSink } from '../../../src/connectors/duckdb/index.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('answers queries while batches keep arriving, and readers only ever see whole batches', async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-duckdb-'));
  const sink = await duckDbSink<string, { seq: number; host: string }>({
    database: join(dir, 'live.duckdb'),
    table: 'packets',
  });
  const batchSize = 500;
  const batches = 40;
  let written = 0;
  const writer = (async () => {
    for (let b = 0; b < batches; b++) {
      const batch = Array.from({ length: batchSize }, (_, i) => ({
        key: 'k',
        value: { seq: b * batchSize + i, host: `h${i % 7}` },
        timestamp: b,
      }));
      await sink.write(batch);
      written++;
      // Let the reader's queries interleave with the writes.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();

  const seen: number[] = [];
  let writerDone = false;
  void writer.finally(() => {
    writerDone = true;
  });
  // The table exists once the first batch is written.
  while (written === 0) await new Promise((resolve) => setImmediate(resolve));
  while (!writerDone) {
    const [row] = await sink.query<{ n: bigint; top: bigint | null }>(
      'SELECT count(*) AS n, max(seq) AS top FROM packets',
    );
    const n = Number(row?.n);
    seen.push(n);
    // Whole batches only, and the rows present are exactly the first n sequence numbers.
    expect(n % batchSize).toBe(0);
    expect(row?.top).toBe(n - 1);
  }
  await writer;

  expect(seen.length).toBeGreaterThan(1);
  expect(seen.some((n) => n > 0 && n < batches * batchSize)).toBe(true);
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
  const [final] = await sink.query<{ n: bigint }>('SELECT count(*) AS n FROM packets');
  expect(final?.n).toBe(BigInt(batches * batchSize));
  await sink.close();
});
