import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, from, map, range, take, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { fromObservable } from '../../../src/connectors/rx/from-observable.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { AppState } from '../../../src/runtime/app/app-state.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { SinkConnector } from '../../../src/runtime/connector.js';
import { EmbeddedLog } from '../../../src/runtime/embedded/embedded-log.js';
import type { StreamRecord, Windowed } from '../../../src/runtime/record.js';

const stateRoot = mkdtempSync(join(tmpdir(), 'tributary-app-'));
afterAll(() => rmSync(stateRoot, { recursive: true, force: true }));

function collectingSink<K, V>(name: string): SinkConnector<K, V> & { records: StreamRecord<K, V>[] } {
  const records: StreamRecord<K, V>[] = [];
  return {
    name,
    records,
    async write(batch) {
      records.push(...batch);
    },
  };
}

describe('StreamsApp on the embedded log', () => {
  it('runs one task per partition, repartitions by a new key, and reports its states', async () => {
    const b = new StreamsBuilder();
    const sink = collectingSink<string, number>('totals');
    b.stream<string, { dst: string; len: number }>('packets', { partitions: 3 })
      .groupBy((_, p) => p.dst)
      .aggregate(
        () => 0,
        (_k, p, total) => total + p.len,
      )
      .toStream()
      .to(sink);
    const app = new StreamsApp(b.build(), { applicationId: 'app1', stateDir: stateRoot, partitions: 2 });
    const states: AppState[] = [];
    app.onStateChange((s) => states.push(s));
    await app.start();
    const records = [];
    for (let i = 0; i < 300; i++)
      records.push({ key: `10.0.0.${i % 7}`, value: { dst: `d${i % 5}`, len: 1 }, timestamp: i });
    app.send('packets', records);
    await app.whenDone();
    // Last total per destination: 300 records over 5 destinations.
    const last = new Map(sink.records.map((r) => [r.key, r.value]));
    expect(Object.fromEntries(last)).toEqual({ d0: 60, d1: 60, d2: 60, d3: 60, d4: 60 });
    // Every source partition was used, and the repartition topic has the app's default partition count.
    for (let p = 0; p < 3; p++) expect(app.log.endOffset('packets', p)).toBeGreaterThan(0);
    expect(app.log.topicNames().filter((t) => t.startsWith('app1-repartition'))).toHaveLength(1);
    await app.close();
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
  });

  it('feeds a topology from an Observable and taps it with toObservable()', async () => {
    const b = new StreamsBuilder();
    const source = fromObservable(from([1, 2, 3, 4, 5, 6]).pipe(map((n) => ({ n }))), {
      name: 'numbers',
      toRecord: (item) => ({ key: item.n % 2 === 0 ? 'even' : 'odd', value: item.n, timestamp: item.n }),
    });
    const tapped = b
      .stream(source)
      .filter((_, v) => v > 1)
      .toObservable();
    const app = new StreamsApp(b.build(), { applicationId: 'app2', stateDir: stateRoot });
    const seen = firstValueFrom(tapped.pipe(take(5), toArray()));
    await app.start();
    await app.whenDone();
    expect((await seen).map((r) => `${r.key}:${r.value}`)).toEqual([
      'even:2',
      'odd:3',
      'even:4',
      'odd:5',
      'even:6',
    ]);
    await app.close();
  });

  it('pauses a source connector while the topology lags (bounded backlog)', async () => {
    const b = new StreamsBuilder();
    let slowWrites = 0;
    const slowSink: SinkConnector<null, number> = {
      name: 'slow',
      async write() {
        slowWrites++;
        await new Promise((r) => setTimeout(r, 5));
      },
    };
    // range() emits all 5,000 at once: the source has them buffered and would hand them over at once.
    const source = fromObservable(range(0, 5000), { name: 'ticks', maxBuffered: 100_000 });
    b.stream(source).to(slowSink);
    const log = new EmbeddedLog();
    const app = new StreamsApp(b.build(), {
      applicationId: 'app3',
      stateDir: stateRoot,
      log,
      batchSize: 100,
      maxSourceBacklog: 200,
    });
    await app.start();
    let maxBacklog = 0;
    const probe = setInterval(() => {
      const delivered = app.metrics().get('sink.slow.records') ?? 0;
      maxBacklog = Math.max(maxBacklog, log.endOffset('ticks', 0) - delivered);
    }, 1);
    await app.whenDone();
    clearInterval(probe);
    expect(app.metrics().get('sink.slow.records')).toBe(5000);
    expect(slowWrites).toBeGreaterThanOrEqual(25);
    // The source ran at most one source batch plus the bound ahead of what the sink had taken.
    expect(maxBacklog).toBeLessThanOrEqual(200 + 500 + 100);
    await app.close();
  });

  it('stops with ERROR and the ProcessingError when an operator fails under the fail policy', async () => {
    const b = new StreamsBuilder();
    b.stream<string, number>('in')
      .mapValues((v) => {
        if (v === 13) throw new Error('unlucky');
        return v;
      })
      .to('out');
    const app = new StreamsApp(b.build(), { applicationId: 'app4', stateDir: stateRoot });
    await app.start();
    app.send(
      'in',
      [1, 13, 2].map((v, i) => ({ key: 'k', value: v, timestamp: i })),
    );
    await expect(app.whenDone()).rejects.toThrow(
      /threw while processing a record \(topic in, partition 0, offset 1\).*unlucky/,
    );
    expect(app.state).toBe('ERROR');
    await app.close();
    expect(app.state).toBe('NOT_RUNNING');
  });

  it('sends a failing sink batch to the dead-letter topic under the dead-letter production policy', async () => {
    const b = new StreamsBuilder();
    const broken: SinkConnector<string, number> = {
      name: 'broken',
      async write() {
        throw new Error('ingestion endpoint returned 400');
      },
    };
    b.stream<string, number>('in').to(broken);
    const app = new StreamsApp(b.build(), {
      applicationId: 'app5',
      stateDir: stateRoot,
      errors: { production: 'dead-letter' },
    });
    await app.start();
    app.send('in', [{ key: 'k', value: 7, timestamp: 1 }]);
    await app.whenDone();
    const dead = app.log.read('app5-dead-letters', 0, 0, 10);
    expect(dead.map((r) => r.value)).toEqual([7]);
    expect(dead[0]?.headers?.['tributary.error.door']).toBe('production');
    expect(String(dead[0]?.headers?.['tributary.error.message'])).toContain('400');
    await app.close();
  });

  it('a persistent window store survives a restart: same results as a run without restart', async () => {
    const dir = mkdtempSync(join(stateRoot, 'restart-'));
    const input = [
      { key: 'a', value: 1, timestamp: 1_000 },
      { key: 'a', value: 1, timestamp: 30_000 },
      { key: 'b', value: 1, timestamp: 45_000 },
      { key: 'a', value: 1, timestamp: 61_000 },
      { key: 'a', value: 1, timestamp: 70_000 },
      { key: 'b', value: 1, timestamp: 130_000 },
    ];
    const run = async (stateDir: string, parts: (typeof input)[]) => {
      const finals: string[] = [];
      for (const part of parts) {
        const b = new StreamsBuilder();
        b.stream<string, number>('in')
          .groupByKey()
          .windowedBy(windows.tumbling({ size: '1m' }))
          .emit('final')
          .count({ name: 'c', store: 'persistent' })
          .toStream()
          .forEach((k: Windowed<string>, v) => {
            finals.push(`${k.key}@${k.window.start}=${v}`);
          });
        const app = new StreamsApp(b.build(), { applicationId: 'restart', stateDir });
        await app.start();
        app.send('in', part);
        await app.whenDone();
        await app.close();
      }
      return finals;
    };
    const straight = await run(mkdtempSync(join(dir, 'a-')), [input]);
    const restarted = await run(mkdtempSync(join(dir, 'b-')), [input.slice(0, 3), input.slice(3)]);
    expect(straight).toEqual(['a@0=2', 'b@0=1', 'a@60000=2']);
    expect(restarted).toEqual(straight);
  });

  it('restores stream time after a restart: a record late before it is still late after it', async () => {
    const stateDir = mkdtempSync(join(stateRoot, 'late-'));
    const run = async (records: Array<{ key: string; value: number; timestamp: number }>) => {
      const counted: string[] = [];
      const late: number[] = [];
      const b = new StreamsBuilder();
      const table = b
        .stream<string, number>('in')
        .groupByKey()
        .windowedBy(windows.tumbling({ size: '1m' }))
        .count({ name: 'c', store: 'persistent' });
      table.toStream().forEach((k: Windowed<string>, v) => {
        counted.push(`${k.key}@${k.window.start}=${v}`);
      });
      table.lateRecords().forEach((_, __, r) => {
        late.push(r.timestamp);
      });
      const app = new StreamsApp(b.build(), { applicationId: 'late-restart', stateDir });
      await app.start();
      app.send('in', records);
      await app.whenDone();
      await app.close();
      return { counted, late };
    };
    const first = await run([{ key: 'a', value: 1, timestamp: 130_000 }]);
    expect(first.counted).toEqual(['a@120000=1']);
    // Stream time was 130 s when the app stopped: a record from 10 s belongs to a window closed long ago.
    const second = await run([{ key: 'a', value: 1, timestamp: 10_000 }]);
    expect(second).toEqual({ counted: [], late: [10_000] });
  });
});
