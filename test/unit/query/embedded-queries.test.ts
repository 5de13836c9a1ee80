import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { StoreUnavailableError, UnknownStoreError } from '../../../src/runtime/query/query-errors.js';
import type {
  ReadOnlyKeyValueView,
  ReadOnlySessionView,
  ReadOnlyWindowView,
} from '../../../src/runtime/query/store-views.js';
import type { KeyValueStore } from '../../../src/state/store.js';
import { catchError } from './catch-error.js';

const MINUTE = 60_000;
const PARTITIONS = 3;

/** Counts per key, per key and minute, and per key session (gap 10 s) over one 3-partition topic. */
function countingApp(): StreamsApp {
  const b = new StreamsBuilder();
  const grouped = b.stream<string, number>('events', { partitions: PARTITIONS }).groupByKey();
  grouped.count({ name: 'counts', storeName: 'counts' });
  grouped
    .windowedBy(windows.tumbling({ size: '1m', grace: '1h' }))
    .count({ name: 'per-minute', storeName: 'per-minute' });
  grouped
    .windowedBy(windows.session({ gap: '10s', grace: '1h' }))
    .count({ name: 'sessions', storeName: 'sessions' });
  return new StreamsApp(b.build(), { applicationId: 'queries-embedded' });
}

/** 12 keys; key hN gets N+1 records, one every 20 s from t=0, so it spans (N+1)/3 minutes and as many sessions. */
function events(): { key: string; value: number; timestamp: number }[] {
  const out: { key: string; value: number; timestamp: number }[] = [];
  for (let n = 0; n < 12; n++)
    for (let i = 0; i <= n; i++)
      out.push({ key: `h${String(n).padStart(2, '0')}`, value: i, timestamp: i * 20_000 });
  return out;
}

async function runningApp(): Promise<StreamsApp> {
  const app = countingApp();
  await app.start();
  app.send('events', events());
  await app.whenDone();
  return app;
}

function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events()) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
  return counts;
}

describe('interactive queries on an embedded app', () => {
  it('looks keys up in the task that owns their partition and merges ranges across tasks in key order', async () => {
    const app = await runningApp();
    try {
      const view = app.store<string, number>('counts') as ReadOnlyKeyValueView<string, number>;
      expect(view.kind).toBe('key-value');
      const expected = expectedCounts();
      for (const [key, count] of expected) {
        expect(view.get(key)).toBe(count);
        // The key lives in exactly the task of the partition the log put its records in.
        const meta = await app.queryMetadataForKey('counts', key);
        const written = app.log.read('events', meta.partition, 0, 1000).some((r) => r.key === key);
        expect(written).toBe(true);
        expect(meta.local).toBe(true);
        for (let p = 0; p < PARTITIONS; p++) {
          const raw = app.store<KeyValueStore<string, number>>('counts', p);
          expect(raw.get(key) !== undefined).toBe(p === meta.partition);
        }
      }
      expect(view.get('nobody')).toBeUndefined();
      const sortedKeys = [...expected.keys()].sort();
      expect([...view.all()].map((e) => e.key)).toEqual(sortedKeys);
      expect([...view.range('h03', 'h07')]).toEqual(
        sortedKeys.filter((k) => k >= 'h03' && k <= 'h07').map((key) => ({ key, value: expected.get(key) })),
      );
      expect(view.approximateNumEntries()).toBe(expected.size);
      // The keys really are spread over more than one task, so the merge had work to do.
      const partitions = new Set(
        await Promise.all(
          sortedKeys.map(async (k) => (await app.queryMetadataForKey('counts', k)).partition),
        ),
      );
      expect(partitions.size).toBeGreaterThan(1);
    } finally {
      await app.close();
    }
  });

  it('fetches windows of one key and of all keys, ordered by start then key', async () => {
    const app = await runningApp();
    try {
      const view = app.store<string, number>('per-minute') as ReadOnlyWindowView<string, number>;
      expect(view.kind).toBe('window');
      // h05 has 6 records at 0..100 s: three in minute 0, three in minute 1.
      expect([...view.fetchRange('h05', 0, 10 * MINUTE)].map((w) => [w.windowStart, w.value])).toEqual([
        [0, 3],
        [MINUTE, 3],
      ]);
      expect(view.fetch('h05', MINUTE)).toBe(3);
      expect(view.fetch('h05', 2 * MINUTE)).toBeUndefined();
      const all = [...view.fetchAll(MINUTE, MINUTE)];
      // Keys with more than 3 records reach minute 1.
      expect(all.map((w) => w.key)).toEqual(
        [...expectedCounts().keys()].filter((k) => Number(k.slice(1)) >= 3).sort(),
      );
      const every = [...view.all()];
      const order = every.map((w) => `${String(w.windowStart).padStart(10, '0')}|${w.key}`);
      expect(order).toEqual([...order].sort());
      expect(every.reduce((s, w) => s + w.value, 0)).toBe(events().length);
    } finally {
      await app.close();
    }
  });

  it('finds sessions of a key', async () => {
    const app = await runningApp();
    try {
      const view = app.store<string, number>('sessions') as ReadOnlySessionView<string, number>;
      expect(view.kind).toBe('session');
      // Records 20 s apart with a 10 s gap: every record is its own session [t, t].
      const found = [...view.findSessions('h02', 0, 10 * MINUTE)];
      expect(found.map((s) => [s.session.start, s.session.end, s.value])).toEqual([
        [0, 0, 1],
        [20_000, 20_000, 1],
        [40_000, 40_000, 1],
      ]);
      expect(view.fetchSession('h02', { start: 20_000, end: 20_000 })).toBe(1);
      const keys = [...view.all()].map((s) => s.key);
      expect(keys).toEqual([...keys].sort());
      expect(keys).toHaveLength(events().length);
    } finally {
      await app.close();
    }
  });

  it('lists this instance with every partition and store as the only one when embedded', async () => {
    const app = await runningApp();
    try {
      const [only, ...others] = await app.allMetadata();
      expect(others).toEqual([]);
      expect(only!.local).toBe(true);
      expect(only!.host).toBeUndefined();
      expect(only!.stores).toEqual(['counts', 'per-minute', 'sessions']);
      expect(only!.partitions).toEqual([0, 1, 2].map((partition) => ({ topic: 'events', partition })));
    } finally {
      await app.close();
    }
  });

  it('explains unknown stores, and stores read before start or after close', async () => {
    const app = countingApp();
    const known = app.queryableStores().map((s) => s.name);
    expect(known.sort()).toEqual(['counts', 'per-minute', 'sessions']);
    const unknown = catchError(() => app.store('count-store'));
    expect(unknown).toBeInstanceOf(UnknownStoreError);
    for (const name of known) expect((unknown as Error).message).toContain(`"${name}"`);

    const view = app.store<string, number>('counts') as ReadOnlyKeyValueView<string, number>;
    const notStarted = catchError(() => view.get('h01'));
    expect(notStarted).toBeInstanceOf(StoreUnavailableError);
    expect((notStarted as StoreUnavailableError).reason).toBe('not-started');
    expect((notStarted as StoreUnavailableError).retriable).toBe(false);
    await expect(app.queryMetadataForKey('counts', 'h01')).rejects.toThrow(/call start\(\) first/);

    await app.start();
    app.send('events', events());
    await app.whenDone();
    expect(view.get('h01')).toBe(2);
    await app.close();
    const closed = catchError(() => [...view.all()]);
    expect((closed as StoreUnavailableError).reason).toBe('not-running');
    expect((closed as Error).message).toContain('NOT_RUNNING');
  });
});
