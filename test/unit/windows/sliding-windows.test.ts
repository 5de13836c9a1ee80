/**
 * Sliding windows (Kafka Streams' SlidingWindows, KIP-450), worked out by hand. A window spans the
 * time difference D with both ends inclusive, [s, s + D]; tributary reports it with an exclusive
 * end, so [s, s + D] shows as [s, s + D + 1). For each record at t there is a left window
 * [t - D, t], and a right window [t + 1, t + 1 + D] when a later record falls in it. A window is
 * closed once s + D < stream time - grace; a record with a closed window is late.
 */
import { describe, expect, it } from 'vitest';
import type { Aggregator } from '../../../src/aggregations/aggregator.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { EmitMode, SlidingWindowSpec } from '../../../src/operators/windows/window-specs.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { StreamRecord, Windowed } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { showWindowed, tempStateDir } from './helpers.js';

interface TopologyOptions {
  emit: EmitMode;
  store?: 'memory' | 'persistent';
  idleClose?: number;
}

function slidingCount(spec: SlidingWindowSpec, options: TopologyOptions) {
  const b = new StreamsBuilder();
  let windowed = b.stream<string, number>('in').groupByKey().windowedBy(spec).emit(options.emit);
  if (options.idleClose !== undefined) windowed = windowed.idleClose(options.idleClose);
  const table = windowed.count({ name: 'sliding', store: options.store ?? 'memory' });
  table.toStream().to('out');
  table.lateRecords().to('late');
  return b.build();
}

async function driverFor(spec: SlidingWindowSpec, options: TopologyOptions, stateDir?: string) {
  const driver = await TopologyTestDriver.create(slidingCount(spec, options), stateDir ? { stateDir } : {});
  return {
    driver,
    input: driver.createInputTopic<string, number>('in'),
    out: driver.createOutputTopic<Windowed<string>, number>('out'),
    late: driver.createOutputTopic<string, number>('late'),
  };
}

describe('sliding windows, eager (D = 10, grace 100: nothing is late)', () => {
  const spec = windows.sliding({ timeDifference: 10, grace: 100 });

  it('creates left windows, right windows of earlier records, and updates windows out of order', async () => {
    const { input, out } = await driverFor(spec, { emit: 'eager' });
    // a@20: no windows yet -> left window [10,20] = {20}.
    input.pipeInput('a', 0, 20);
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[10,21)=1@20']);

    // a@25: the window ending before 25 is [10,20] (newest record 20, within D of 25), so:
    //   20's right window [21,31] did not exist and 25 falls in it -> new, {25};
    //   25's left window [15,25] starts from [10,20]'s aggregate -> {20,25}.
    input.pipeInput('a', 0, 25);
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[21,32)=1@25', 'a@[15,26)=2@25']);

    // a@40: the window ending before 40 is [21,31] (newest record 25): 25 is more than D before 40,
    // so 25's right window [26,36] would not contain 40 and 40's left window [30,40] starts empty.
    input.pipeInput('a', 0, 40);
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[30,41)=1@40']);

    // a@33, out of order. Walking a's windows from the latest start down:
    //   [30,40] contains 33 and holds only records after 33 ({40}) -> it seeds 33's right window;
    //           updated to {33,40}, still timestamped with its newest record, 40;
    //   [21,31] ends before 33 (newest record 25, within D): 25's right window [26,36] is created
    //           with {33}, and 33's left window [23,33] starts from [21,31]'s {25} -> {25,33};
    //   33's right window [34,44] gets the seed {40}.
    input.pipeInput('a', 0, 33);
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[30,41)=2@40',
      'a@[26,37)=1@33',
      'a@[23,34)=2@33',
      'a@[34,45)=1@40',
    ]);
  });

  it('keeps keys apart and counts a repeated timestamp in the windows that exist', async () => {
    const { input, out } = await driverFor(spec, { emit: 'eager' });
    input.pipeInput('a', 0, 50); // a: [40,50] = {50}
    input.pipeInput('b', 0, 52); // b: [42,52] = {52}, not mixed with a
    input.pipeInput('a', 0, 50); // a record at 50 exists: only [40,50] is updated, nothing created
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[40,51)=1@50',
      'b@[42,53)=1@52',
      'a@[40,51)=2@50',
    ]);
  });

  it('puts records earlier than D into the window [0, D], as Kafka Streams does', async () => {
    const { input, out } = await driverFor(spec, { emit: 'eager' });
    // a@3: its left window would start at -7, so it goes into [0,10].
    input.pipeInput('a', 0, 3);
    // a@8: [0,10] already holds 3 (newest record before 8) -> 3's right window [4,14] = {8} is
    // created, then [0,10] is updated to {3,8}.
    input.pipeInput('a', 0, 8);
    // a@5, out of order: [4,14] contains 5 and holds only records after 5 -> it seeds 5's right
    // window [6,16] = {8}; [4,14] becomes {5,8}; [0,10] becomes {3,5,8}.
    input.pipeInput('a', 0, 5);
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[0,11)=1@3',
      'a@[4,15)=1@8',
      'a@[0,11)=2@8',
      'a@[4,15)=2@8',
      'a@[6,17)=1@8',
      'a@[0,11)=3@8',
    ]);
  });
});

describe('sliding windows, grace and late records (D = 10, grace 5)', () => {
  const spec = windows.sliding({ timeDifference: 10, grace: 5 });
  // Input: a@20, a@25, a@40, then a@33 (late for its left window, on time for two others),
  // b@60, then a@20 again (every window of it closed: dropped).
  //  a@20 -> [10,20]={20}                     stream 20, close time 15
  //  a@25 -> [21,31]={25}, [15,25]={20,25}    stream 25, close time 20
  //  a@40 -> [30,40]={40}                     stream 40, close time 35: windows with s + 10 < 35 close,
  //                                            i.e. [10,20], [15,25], [21,31]
  //  a@33 -> left window [23,33] is closed (33 < 35): the record is late, but it still goes into
  //          [30,40] -> {33,40}, 25's right window [26,36] -> {33} and its own right window [34,44] -> {40}
  //  b@60 -> [50,60]={60}                     stream 60, close time 55: all of a's windows close
  //  a@20 -> 20 + 10 < 55: dropped, late
  const feed = (input: { pipeInput(k: string, v: number, t: number): void }) => {
    for (const t of [20, 25, 40, 33]) input.pipeInput('a', t, t);
    input.pipeInput('b', 60, 60);
    input.pipeInput('a', 20, 20);
  };

  it('eager: a late record updates the windows still open and goes to the late output', async () => {
    const { driver, input, out, late } = await driverFor(spec, { emit: 'eager' });
    feed(input);
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[10,21)=1@20',
      'a@[21,32)=1@25',
      'a@[15,26)=2@25',
      'a@[30,41)=1@40',
      'a@[30,41)=2@40',
      'a@[26,37)=1@33',
      'a@[34,45)=1@40',
      'b@[50,61)=1@60',
    ]);
    expect(late.readValues()).toEqual([33, 20]);
    expect(driver.metrics().get('sliding.late-records')).toBe(2);
  });

  it('final: one result per window once s + D < stream time - grace, timestamped with its newest record', async () => {
    const { driver, input, out, late } = await driverFor(spec, { emit: 'final' });
    input.pipeInput('a', 20, 20);
    input.pipeInput('a', 25, 25);
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('a', 40, 40);
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[10,21)=1@20',
      'a@[15,26)=2@25',
      'a@[21,32)=1@25',
    ]);
    input.pipeInput('a', 33, 33);
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('b', 60, 60);
    input.pipeInput('a', 20, 20);
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[26,37)=1@33',
      'a@[30,41)=2@40',
      'a@[34,45)=1@40',
    ]);
    expect(late.readValues()).toEqual([33, 20]);
    expect(driver.metrics().get('sliding.late-records')).toBe(2);
  });

  it('final: a window closes only once s + D < close time; a record at the close time is on time', async () => {
    const { input, out, late } = await driverFor(spec, { emit: 'final' });
    input.pipeInput('a', 20, 20); // a: [10,20]
    input.pipeInput('z', 25, 25); // close time 20: [10,20] stays open (20 is not < 20)
    expect(out.isEmpty()).toBe(true);
    input.pipeInput('z', 26, 26); // close time 21: [10,20] closes
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[10,21)=1@20']);
    // a@21 = close time: its left window [11,21] (starting from [10,20]'s {20}) is open: on time.
    // 20's right window [21,31] = {21} is created too.
    input.pipeInput('a', 21, 21);
    // a@20 < close time: its left window [10,20] is closed, so the record is late; it still
    // goes into [11,21], which is open.
    input.pipeInput('a', 20, 20);
    expect(late.readValues()).toEqual([20]);
    expect(out.isEmpty()).toBe(true);
    // z's windows: [15,25] = {25}; from z@26: 25's right window [26,36] = {26}, left [16,26] = {25,26}.
    input.pipeInput('z', 100, 100); // closes everything but z's newest window, in start order
    expect(out.readRecords().map(showWindowed)).toEqual([
      'a@[11,22)=3@21',
      'z@[15,26)=1@25',
      'z@[16,27)=2@26',
      'a@[21,32)=1@21',
      'z@[26,37)=1@26',
    ]);
  });

  it('idle close: wall-clock time closes the windows of a quiet partition', async () => {
    const { driver, input, out, late } = await driverFor(spec, { emit: 'final', idleClose: 1000 });
    input.pipeInput('a', 100, 100);
    driver.advanceWallClockTime(600);
    expect(out.isEmpty()).toBe(true);
    driver.advanceWallClockTime(600); // idle 1200 ms: stream time 100 + 1200, every window closes
    expect(out.readRecords().map(showWindowed)).toEqual(['a@[90,101)=1@100']);
    expect(driver.metrics().get('sliding.idle-advances')).toBe(1);
    input.pipeInput('a', 95, 95); // its windows were closed by the idle advance: late, not lost
    expect(late.readValues()).toEqual([95]);
  });
});

/**
 * The windows Kafka Streams' algorithm must end up with, computed the slow way: a left window
 * [r - D, r] per record, a right window [r + 1, r + 1 + D] per record with a later record within
 * D + 1, each holding every record of its key in its range (listed as sorted timestamps).
 */
function expectedWindows(records: { key: string; t: number }[], d: number): Map<string, string> {
  const result = new Map<string, string>();
  const byKey = new Map<string, number[]>();
  for (const r of records) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.t]);
  for (const [key, times] of byKey) {
    const starts = new Set<number>();
    for (const r of times) {
      starts.add(r - d);
      if (times.some((o) => o > r && o <= r + 1 + d)) starts.add(r + 1);
    }
    for (const s of starts) {
      const inWindow = times.filter((t) => t >= s && t <= s + d).sort((x, y) => x - y);
      result.set(`${key}@[${s},${s + d + 1})`, inWindow.join(','));
    }
  }
  return result;
}

/** Collects the timestamps of a window's records; `add` mutates the accumulator in place. */
const collect: Aggregator<number, number[], string> = {
  init: () => [],
  add: (acc, value) => {
    acc.push(value);
    return acc;
  },
  merge: (a, b) => {
    a.push(...b);
    return a;
  },
  result: (acc) => [...acc].sort((x, y) => x - y).join(','),
};

async function collectingDriver(spec: SlidingWindowSpec, emit: EmitMode) {
  const b = new StreamsBuilder();
  b.stream<string, number>('in')
    .groupByKey()
    .windowedBy(spec)
    .emit(emit)
    .aggregate(collect, { name: 'sliding' })
    .toStream()
    .to('out');
  const driver = await TopologyTestDriver.create(b.build());
  return {
    input: driver.createInputTopic<string, number>('in'),
    out: driver.createOutputTopic<Windowed<string>, string>('out'),
  };
}

describe('sliding windows against a brute-force model', () => {
  const d = 10;
  const spec = windows.sliding({ timeDifference: d, grace: 1000 });
  const id = (r: StreamRecord<Windowed<string>, string>) =>
    `${r.key.key}@[${r.key.window.start},${r.key.window.end})`;
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`random out-of-order input (seed ${seed}): every window holds exactly its records`, async () => {
      const random = seededRandom(seed);
      // Early records (t < D) are left out: Kafka Streams lumps them into [0, D] by design.
      const records = Array.from({ length: 60 }, () => ({
        key: random() < 0.5 ? 'a' : 'b',
        t: d + Math.floor(random() * 120),
      }));
      const final = await collectingDriver(spec, 'final');
      const eager = await collectingDriver(spec, 'eager');
      for (const r of records) {
        final.input.pipeInput(r.key, r.t, r.t);
        eager.input.pipeInput(r.key, r.t, r.t);
      }
      final.input.pipeInput('flush', 0, 10_000); // closes every window of a and b
      const expected = new Map([...expectedWindows(records, d)].sort());
      const finalResults = new Map<string, string>();
      for (const r of final.out.readRecords()) {
        if (r.key.key === 'flush') continue;
        expect(finalResults.has(id(r)), `${id(r)} emitted twice`).toBe(false);
        finalResults.set(id(r), r.value);
      }
      expect(new Map([...finalResults].sort())).toEqual(expected);
      // Eager mode ends at the same values: the last update of each window.
      const lastEager = new Map<string, string>();
      for (const r of eager.out.readRecords()) lastEager.set(id(r), r.value);
      expect(new Map([...lastEager].sort())).toEqual(expected);
    });
  }
});

describe('sliding windows, restart with a persistent store', () => {
  const spec = windows.sliding({ timeDifference: 10, grace: 5 });
  // In-order-ish input across two keys, with a few records out of order within grace.
  const firstHalf: [string, number][] = [
    ['a', 20],
    ['b', 22],
    ['a', 25],
    ['a', 31],
    ['b', 29],
    ['a', 40],
  ];
  const secondHalf: [string, number][] = [
    ['a', 44],
    ['b', 41],
    ['a', 52],
    ['b', 57],
    ['a', 61],
    ['z', 200],
  ];

  for (const emit of ['eager', 'final'] as const) {
    it(`${emit}: results with a restart in the middle equal results without`, async () => {
      const once = tempStateDir();
      const twice = tempStateDir();
      try {
        const single = await driverFor(spec, { emit, store: 'persistent' }, once.dir);
        for (const [k, t] of [...firstHalf, ...secondHalf]) single.input.pipeInput(k, t, t);
        const expected = single.out.readRecords().map(showWindowed);
        await single.driver.close();

        const first = await driverFor(spec, { emit, store: 'persistent' }, twice.dir);
        for (const [k, t] of firstHalf) first.input.pipeInput(k, t, t);
        const before = first.out.readRecords().map(showWindowed);
        await first.driver.close();
        const second = await driverFor(spec, { emit, store: 'persistent' }, twice.dir);
        for (const [k, t] of secondHalf) second.input.pipeInput(k, t, t);
        const after = second.out.readRecords().map(showWindowed);
        await second.driver.close();

        expect(expected.length).toBeGreaterThan(5);
        expect([...before, ...after]).toEqual(expected);
      } finally {
        once.remove();
        twice.remove();
      }
    });
  }
});
