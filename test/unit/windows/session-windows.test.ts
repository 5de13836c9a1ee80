/**
 * Session windows, worked out by hand from Kafka Streams' semantics: a record at t merges every
 * session of its key that ends at or after t - gap and starts at or before t + gap; sessions are
 * [start, end] with both ends inclusive and show here with tributary's exclusive end, [start, end + 1).
 * Since Kafka Streams 3.0 the close time is stream time - grace - gap: a session is closed once
 * its end < close time, and a record whose merged session would end before it is late.
 */
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { EmitMode, SessionWindowSpec } from '../../../src/operators/windows/window-specs.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { Windowed } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import type { SessionStore } from '../../../src/state/store.js';
import { showWindowed, tempStateDir } from './helpers.js';

interface TopologyOptions {
  emit: EmitMode;
  store?: 'memory' | 'persistent';
  idleClose?: number;
}

async function sessionCount(spec: SessionWindowSpec, options: TopologyOptions, stateDir?: string) {
  const b = new StreamsBuilder();
  let windowed = b.stream<string, number>('in').groupByKey().windowedBy(spec).emit(options.emit);
  if (options.idleClose !== undefined) windowed = windowed.idleClose(options.idleClose);
  const table = windowed.count({ name: 'sessions', store: options.store ?? 'memory' });
  table.toStream().to('out');
  table.lateRecords().to('late');
  const driver = await TopologyTestDriver.create(b.build(), stateDir ? { stateDir } : {});
  return {
    driver,
    input: driver.createInputTopic<string, number>('in'),
    out: driver.createOutputTopic<Windowed<string>, number | null>('out'),
    late: driver.createOutputTopic<string, number>('late'),
  };
}

describe('session windows, eager (gap 10, grace 10: close time = stream time - 20)', () => {
  const spec = windows.session({ gap: 10, grace: 10 });

  it('merges sessions within the gap, retracting the old ones with null', async () => {
    const { driver, input, out, late } = await sessionCount(spec, { emit: 'eager' });
    input.pipeInput('a', 0, 0); // new session [0,0]
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,1)=1@0']);

    input.pipeInput('a', 5, 5); // [0,0] ends within 10 of 5: merged into [0,5]; [0,0] retracted
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,1)=null@0', 'a@[0,6)=2@5']);

    input.pipeInput('a', 20, 20); // [0,5] ends 15 before 20 > gap: a new session [20,20]
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[20,21)=1@20']);

    // a@12 (out of order): [0,5] ends within 10 before it, [20,20] starts within 10 after it:
    // the record bridges them into [0,20] = 2 + 1 + 1; both old sessions are retracted.
    // Stream time 20, close time 0: both sessions are open.
    input.pipeInput('a', 12, 12);
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[0,6)=null@5',
      'a@[20,21)=null@20',
      'a@[0,21)=4@20',
    ]);

    input.pipeInput('a', 15, 15); // inside [0,20]: an update, and no retraction of the same window
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,21)=5@20']);

    // Other keys have their own sessions. Stream time 41, close time 21: a's [0,20] is closed.
    input.pipeInput('b', 41, 41);
    expect(out.readRecords().map(showWindowed)).toEqual(['b@[41,42)=1@41']);

    // a@18 cannot join the closed [0,20]; alone, [18,18] ends before 21: late, not counted.
    input.pipeInput('a', 18, 18);
    expect(out.isEmpty()).toBe(true);
    expect(late.readValues()).toEqual([18]);

    input.pipeInput('a', 30, 30); // a new session [30,30], on time
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[30,31)=1@30']);

    // a@20 alone would be late (20 < 21), but [30,30] starts within the gap after it, and the
    // merged [20,30] ends at or after the close time: Kafka Streams keeps it, and so do we.
    input.pipeInput('a', 20, 20);
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[30,31)=null@30', 'a@[20,31)=2@30']);
    expect(driver.metrics().get('sessions.late-records')).toBe(1);
    const store = driver.getStateStore<SessionStore<string, number>>('sessions-store');
    expect([...store.all()].map((e) => `${e.key}@[${e.session.start},${e.session.end}]=${e.value}`)).toEqual([
      'a@[20,30]=2',
      'b@[41,41]=1',
    ]);
  });
});

describe('session windows, final (gap 10, grace 5: close time = stream time - 15)', () => {
  const spec = windows.session({ gap: 10, grace: 5 });

  it('emits each session once after stream time passes end + gap + grace, then forgets it', async () => {
    const { driver, input, out, late } = await sessionCount(spec, { emit: 'final' });
    input.pipeInput('a', 0, 0);
    input.pipeInput('a', 5, 5); // [0,5] = 2
    input.pipeInput('a', 20, 20); // close time 5: [0,5] is still open (5 is not < 5); new [20,20]
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('a', 21, 21); // close time 6: [0,5] closes; then [20,20] becomes [20,21]
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,6)=2@5']);
    input.pipeInput('b', 50, 50); // close time 35: [20,21] closes
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[20,22)=2@21']);
    input.pipeInput('a', 14, 14); // its session [14,14] would end before 35: late
    input.pipeInput('a', 36, 36); // [36,36] ends after 35: on time
    expect(late.readValues()).toEqual([14]);
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('z', 100, 100); // close time 85: sessions close in order of their end
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[36,37)=1@36', 'b@[50,51)=1@50']);
    const store = driver.getStateStore<SessionStore<string, number>>('sessions-store');
    expect([...store.all()].map((e) => `${e.key}@[${e.session.start},${e.session.end}]`)).toEqual([
      'z@[100,100]',
    ]);
  });

  it('emits only the merged session when open sessions merge', async () => {
    const { input, out } = await sessionCount(windows.session({ gap: 10, grace: 10 }), { emit: 'final' });
    input.pipeInput('a', 0, 0);
    input.pipeInput('a', 20, 20); // close time 0: [0,0] stays open
    input.pipeInput('a', 10, 10); // 10 - 0 <= gap and 20 - 10 <= gap: [0,0] and [20,20] merge into [0,20]
    input.pipeInput('z', 100, 100);
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[0,21)=3@20']);
  });

  it('idle close: wall-clock time closes the sessions of a quiet partition', async () => {
    const { driver, input, out } = await sessionCount(windows.session({ gap: 10 }), {
      emit: 'final',
      idleClose: 1000,
    });
    input.pipeInput('a', 100, 100);
    driver.advanceWallClockTime(500);
    expect(out.isEmpty()).toBe(true);
    driver.advanceWallClockTime(700); // idle 1200 ms: stream time 1300, close time 1290
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[100,101)=1@100']);
    expect(driver.metrics().get('sessions.idle-advances')).toBe(1);
  });
});

describe('session windows, restart with a persistent store', () => {
  const spec = windows.session({ gap: 10, grace: 5 });
  const firstHalf: [string, number][] = [
    ['a', 0],
    ['b', 3],
    ['a', 8],
    ['a', 30],
    ['b', 12],
    ['a', 19], // [0,8] is closed by now (8 < 30 - 15); joins [30,30]
  ];
  const secondHalf: [string, number][] = [
    ['a', 31],
    ['b', 26],
    ['a', 50],
    ['b', 70],
    ['a', 64],
    ['z', 200],
  ];

  for (const emit of ['eager', 'final'] as const) {
    it(`${emit}: results with a restart in the middle equal results without`, async () => {
      const once = tempStateDir();
      const twice = tempStateDir();
      try {
        const single = await sessionCount(spec, { emit, store: 'persistent' }, once.dir);
        for (const [k, t] of [...firstHalf, ...secondHalf]) single.input.pipeInput(k, t, t);
        const expected = single.out.readRecords().map(showWindowed);
        await single.driver.close();

        const first = await sessionCount(spec, { emit, store: 'persistent' }, twice.dir);
        for (const [k, t] of firstHalf) first.input.pipeInput(k, t, t);
        const before = first.out.readRecords().map(showWindowed);
        await first.driver.close();
        const second = await sessionCount(spec, { emit, store: 'persistent' }, twice.dir);
        for (const [k, t] of secondHalf) second.input.pipeInput(k, t, t);
        const after = second.out.readRecords().map(showWindowed);
        await second.driver.close();

        expect(expected.length).toBeGreaterThan(3);
        expect([...before, ...after]).toEqual(expected);
      } finally {
        once.remove();
        twice.remove();
      }
    });
  }
});
