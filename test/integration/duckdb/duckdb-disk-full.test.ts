/**
 * A full disk, for real: the database lives on a 1 MiB tmpfs. Mounting needs root (CAP_SYS_ADMIN),
 * which CI and the dev machines have; where `mount` is refused the test is skipped and says why.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type DuckDbSink, DuckDbSinkError, duckDbSink } from '../../../src/connectors/duckdb/index.js';
import { mountSmallTmpfs, removeSmallTmpfs } from '../../helpers/small-tmpfs.js';

const disk = mountSmallTmpfs('tributary-full-disk-');
if ('refused' in disk)
  console.warn(`[duckdb disk-full test skipped] cannot mount a tmpfs here: ${disk.refused}`);

let sink: DuckDbSink<string, { payload: string; i: number }> | undefined;

afterAll(async () => {
  await sink?.close();
  removeSmallTmpfs(disk);
});

it.skipIf(!('dir' in disk))(
  'rejects the batch that no longer fits on disk with a DuckDbSinkError naming table and file',
  async () => {
    const dir = (disk as { dir: string }).dir;
    const file = join(dir, 'full.duckdb');
    sink = await duckDbSink<string, { payload: string; i: number }>({ database: file, table: 'captures' });
    const payload = 'x'.repeat(16_384);
    let failure: unknown;
    let committed = 0;
    // 1 MiB cannot hold 64 batches of 16 x 16 KiB: some write has to fail.
    for (let b = 0; b < 64 && failure === undefined; b++) {
      const batch = Array.from({ length: 16 }, (_, i) => ({
        key: 'k',
        value: { payload: payload.slice(0, 16_384 - i), i: b * 16 + i },
        timestamp: b,
      }));
      try {
        await sink.write(batch);
        committed++;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(DuckDbSinkError);
    const error = failure as DuckDbSinkError;
    expect(error.table).toBe('captures');
    expect(error.file).toBe(file);
    expect(error.message).toContain('table "captures"');
    expect(error.message).toContain(`file "${file}"`);
    expect(error.message).toMatch(/could not (write a batch of 16 records|prepare the table)/);
    expect(error.message).toMatch(/No space left on device|disk is full/i);
    expect(error.message).toContain('free space');
    // Nothing of the failed batch is in the table; the batches before it are.
    const count = async () =>
      Number((await sink!.query<{ n: bigint }>('SELECT count(*) AS n FROM captures'))[0]?.n);
    expect(await count()).toBe(committed * 16);
    // DuckDB rolled its log back, so a batch that fits in the space left is still written.
    await sink.write([{ key: 'k', value: { payload: 'y', i: -1 }, timestamp: 0 }]);
    expect(await count()).toBe(committed * 16 + 1);
  },
);
