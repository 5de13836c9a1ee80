/**
 * A persistent state store on a full disk, for real: the app's stateDir is a 1 MiB tmpfs. The app
 * must fail with a StateStoreWriteError that names the store, the directory and the likely cause
 * (whatever the processing-error policy: the record is not at fault), end NOT_RUNNING when closed,
 * and lose nothing: once the disk has room, a restart on the same log resumes from the last commit
 * and the store ends with every key's latest value. Mounting needs root (CAP_SYS_ADMIN), which CI
 * and the dev machines have; where `mount` is refused the test is skipped and says why.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { EmbeddedLog } from '../../../src/runtime/embedded/embedded-log.js';
import type { KeyValueStore } from '../../../src/state/store.js';
import { StateStoreWriteError } from '../../../src/state/store-write-error.js';
import { mountSmallTmpfs, removeSmallTmpfs, resizeSmallTmpfs } from '../../helpers/small-tmpfs.js';

const disk = mountSmallTmpfs('tributary-state-full-');
if ('refused' in disk)
  console.warn(`[state disk-full test skipped] cannot mount a tmpfs here: ${disk.refused}`);

afterAll(() => {
  removeSmallTmpfs(disk);
});

/** Latest value per key in a persistent store; 'skip' would let an ordinary processing error pass. */
function latestValueApp(log: EmbeddedLog, stateDir: string): StreamsApp {
  const b = new StreamsBuilder();
  b.stream<string, string>('in')
    .groupByKey()
    .aggregate(
      () => '',
      (_key, value) => value,
      { name: 'latest', storeName: 'latest-store', store: 'persistent' },
    )
    .toStream()
    .to('out');
  return new StreamsApp(b.build(), {
    applicationId: 'state-disk-full',
    stateDir,
    log,
    commitIntervalMs: 20,
    errors: { processing: 'skip' },
  });
}

const KEYS = 300;
const payloadOf = (i: number) => `${'x'.repeat(8_000)}#${i}`;

it.skipIf(!('dir' in disk))(
  'fails with a clear StateStoreWriteError, closes, and a restart with room loses nothing',
  async () => {
    const dir = (disk as { dir: string }).dir;
    const log = new EmbeddedLog();
    const first = latestValueApp(log, join(dir, 'state'));
    const failed = new Promise<Error | undefined>((resolve) => {
      first.onStateChange((next) => {
        if (next === 'ERROR') resolve(first.error);
      });
    });
    await first.start();
    // 300 keys x 8 KB = 2.4 MB of state: more than the 1 MiB disk holds. The stores write at each
    // commit (every 20 ms here), and the app fails at the first one that does not fit.
    first.send(
      'in',
      Array.from({ length: KEYS }, (_, i) => ({ key: `k${i}`, value: payloadOf(i), timestamp: i })),
    );
    const failure = await failed;
    expect(failure).toBeInstanceOf(StateStoreWriteError);
    const error = failure as StateStoreWriteError;
    expect(error.store).toBe('latest-store');
    expect(error.directory.startsWith(dir)).toBe(true);
    expect(error.message).toMatch(/state store "latest-store" could not write to .*disk is probably full/);
    expect(first.state).toBe('ERROR');
    await first.close().catch(() => {}); // its last commit may fail again: the disk is still full
    expect(first.state).toBe('NOT_RUNNING');
    expect(first.error).toBe(failure);

    // Room again: the same log and state directory, a new instance.
    expect(resizeSmallTmpfs(dir, '64m')).toBeUndefined();
    const second = latestValueApp(log, join(dir, 'state'));
    await second.start();
    try {
      await second.whenDone();
      const store = second.store<KeyValueStore<string, string>>('latest-store', 0);
      const missing = Array.from({ length: KEYS }, (_, i) => i).filter(
        (i) => store.get(`k${i}`) !== payloadOf(i),
      );
      expect(missing).toEqual([]);
      // Every key's result reached the output at least once over the two runs.
      const outputKeys = new Set(log.read('out', 0, 0, 10 * KEYS).map((r) => r.key));
      expect(outputKeys.size).toBe(KEYS);
    } finally {
      await second.close();
    }
  },
  60_000,
);
