/**
 * Windowed stream-stream joins, worked out by hand from Kafka Streams' semantics: a left record at
 * t meets the right records of its key in [t - before, t + after] (a right record at t, the left
 * records in [t - after, t + before]); each match is emitted once, when the second record arrives,
 * timestamped with the later of the two. A left join (Kafka Streams >= 3.1) emits an unmatched left
 * record only after its window closed (join stream time > t + after + grace) without a match.
 */
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import type { JoinWindowSpec } from '../../../src/operators/windows/window-specs.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';
import { metricEndingWith, tempStateDir } from './helpers.js';

const show = (r: StreamRecord<string, string>) => `${r.key}:${r.value}@${r.timestamp}`;

async function joinDriver(mode: 'inner' | 'left', window: JoinWindowSpec, stateDir?: string) {
  const b = new StreamsBuilder(stateDir ? { defaultStore: 'persistent' } : {});
  const left = b.stream<string, string>('left');
  const right = b.stream<string, string>('right');
  const joiner = (l: string, r: string | undefined) => `${l}+${r ?? 'none'}`;
  (mode === 'inner' ? left.join(right, joiner, window) : left.leftJoin(right, joiner, window)).to('out');
  const driver = await TopologyTestDriver.create(b.build(), stateDir ? { stateDir } : {});
  return {
    driver,
    left: driver.createInputTopic<string, string>('left'),
    right: driver.createInputTopic<string, string>('right'),
    out: driver.createOutputTopic<string, string>('out'),
  };
}

type Side = 'left' | 'right';
type Input = [Side, string, string, number];

function pipeAll(j: Awaited<ReturnType<typeof joinDriver>>, inputs: readonly Input[]): void {
  for (const [side, key, value, t] of inputs) j[side].pipeInput(key, value, t);
}

describe('inner stream-stream join', () => {
  it('joins records within the window when either side arrives second (within 10, grace 0)', async () => {
    const j = await joinDriver('inner', windows.join({ within: 10 }));
    j.left.pipeInput('a', 'L1', 100);
    expect(j.out.isEmpty()).toBe(true);
    j.right.pipeInput('a', 'R1', 105); // L1@100 is in [95,115]
    expect(j.out.readRecords().map(show)).toEqual(['a:L1+R1@105']);
    j.right.pipeInput('a', 'R2', 120); // [110,130] holds no left record
    expect(j.out.isEmpty()).toBe(true);
    j.left.pipeInput('a', 'L2', 112); // [102,122] holds R1@105 and R2@120
    expect(j.out.readRecords().map(show)).toEqual(['a:L2+R1@112', 'a:L2+R2@120']);
    j.right.pipeInput('b', 'Rb', 110); // keys never mix
    j.left.pipeInput('a', 'L3', 125); // stream time 125; [115,135] holds R2@120
    expect(j.out.readRecords().map(show)).toEqual(['a:L3+R2@125']);
    // A right record at 90: its window reaches 90 + 10 + grace 0 < 125, closed: late, dropped.
    j.right.pipeInput('a', 'Rlate', 90);
    expect(j.out.isEmpty()).toBe(true);
    expect(metricEndingWith(j.driver.metrics(), '-other.late-records')).toBe(1);
  });

  it('finds the same pairs whatever the arrival order', async () => {
    // Pairs within 10 of each other, same key: L a@100 + R a@95, L a@108 + R a@111.
    // Not pairs: L a@100 / R a@111 (11 apart), L a@108 / R a@95 (13), b@115 / b@100 (15).
    const inputs: Input[] = [
      ['left', 'a', 'L100', 100],
      ['right', 'a', 'R95', 95],
      ['right', 'a', 'R111', 111],
      ['left', 'a', 'L108', 108],
      ['right', 'b', 'Rb100', 100],
      ['left', 'b', 'Lb115', 115],
    ];
    const window = windows.join({ within: 10, grace: 100 });
    const forward = await joinDriver('inner', window);
    pipeAll(forward, inputs);
    const backward = await joinDriver('inner', window);
    pipeAll(backward, [...inputs].reverse());
    const expected = ['a:L100+R95@100', 'a:L108+R111@111'];
    expect(forward.out.readRecords().map(show).sort()).toEqual(expected);
    expect(backward.out.readRecords().map(show).sort()).toEqual(expected);
  });

  it('mirrors an asymmetric window for the right side (before 5, after 20)', async () => {
    // Right records relative to L a@100: 118 (18 after: in), 96 (4 before: in),
    // 94 (6 before: out), 121 (21 after: out).
    const inputs: Input[] = [
      ['left', 'a', 'L', 100],
      ['right', 'a', 'R118', 118],
      ['right', 'a', 'R96', 96],
      ['right', 'a', 'R94', 94],
      ['right', 'a', 'R121', 121],
    ];
    const window = windows.join({ before: 5, after: 20, grace: 100 });
    const leftFirst = await joinDriver('inner', window);
    pipeAll(leftFirst, inputs);
    expect(leftFirst.out.readRecords().map(show)).toEqual(['a:L+R118@118', 'a:L+R96@100']);
    const leftLast = await joinDriver('inner', window);
    pipeAll(leftLast, [...inputs.slice(1), inputs[0]!]);
    // The left record arrives last and finds both right records in [95, 120], in time order.
    expect(leftLast.out.readRecords().map(show)).toEqual(['a:L+R96@100', 'a:L+R118@118']);
  });

  it('keeps every record of a key and timestamp', async () => {
    const j = await joinDriver('inner', windows.join({ within: 10 }));
    j.left.pipeInput('a', 'x', 100);
    j.left.pipeInput('a', 'y', 100);
    j.right.pipeInput('a', 'r', 100);
    expect(j.out.readRecords().map(show)).toEqual(['a:x+r@100', 'a:y+r@100']);
  });

  it('skips and counts records with a null key', async () => {
    const j = await joinDriver('inner', windows.join({ within: 10 }));
    j.left.pipeInput(null as unknown as string, 'x', 100);
    j.right.pipeInput(null as unknown as string, 'r', 100);
    expect(j.out.isEmpty()).toBe(true);
    expect(metricEndingWith(j.driver.metrics(), '-this.null-key-records')).toBe(1);
    expect(metricEndingWith(j.driver.metrics(), '-other.null-key-records')).toBe(1);
  });
});

describe('left stream-stream join (within 10, grace 5)', () => {
  const window = windows.join({ within: 10, grace: 5 });

  it('emits an unmatched left record only once its window closed, and never when a match came first', async () => {
    const j = await joinDriver('left', window);
    j.left.pipeInput('a', 'A', 100); // A waits: its window closes when stream time > 100 + 10 + 5
    j.left.pipeInput('b', 'B', 101); // B waits until stream time > 116
    expect(j.out.isEmpty()).toBe(true);
    j.right.pipeInput('a', 'x', 108); // matches A: A will never be emitted alone
    expect(j.out.readRecords().map(show)).toEqual(['a:A+x@108']);
    j.left.pipeInput('c', 'C', 110); // C waits until stream time > 125
    j.right.pipeInput('z', 'z1', 116); // stream time 116: A's window closed, but A matched; B's still open
    expect(j.out.isEmpty()).toBe(true);
    j.right.pipeInput('z', 'z2', 117); // stream time 117 > 116: B closes without a match
    expect(j.out.readRecords().map(show)).toEqual(['b:B+none@101']);
    // A right record for b at 111 would have matched B, and is not late itself (111 + 10 + 5 >= 117),
    // but B was already emitted alone: no second result for B.
    j.right.pipeInput('b', 'late-partner', 111);
    expect(j.out.isEmpty()).toBe(true);
    j.right.pipeInput('c', 'y', 119); // C@110 is in [109,129]: joined before its window closed
    expect(j.out.readRecords().map(show)).toEqual(['c:C+y@119']);
    j.left.pipeInput('d', 'D', 130); // stream time 130: C's window closed, but C matched
    expect(j.out.isEmpty()).toBe(true);
    j.left.pipeInput('e', 'E', 100); // 100 + 10 + 5 < 130: late, dropped
    j.right.pipeInput('z', 'z3', 146); // stream time 146 > 145: D closes without a match
    expect(j.out.readRecords().map(show)).toEqual(['d:D+none@130']);
    expect(metricEndingWith(j.driver.metrics(), '-this.late-records')).toBe(1);
  });

  it('never emits unmatched right records', async () => {
    const j = await joinDriver('left', window);
    j.right.pipeInput('a', 'lonely', 100);
    j.right.pipeInput('z', 'far', 1000);
    expect(j.out.isEmpty()).toBe(true);
  });
});

describe('stream-stream joins, restart with persistent stores', () => {
  const window = windows.join({ within: 10, grace: 5 });
  // Before the restart: A matched (by x), B waiting, L a@100 buffered for the inner join.
  const firstHalf: Input[] = [
    ['left', 'a', 'A', 100],
    ['left', 'b', 'B', 102],
    ['right', 'a', 'x', 105],
  ];
  // After: a right record for a within 10 of A (joins in both modes), stream time moves past B's and
  // then C's window (left join: both emitted alone; A is not, it matched before the restart).
  const secondHalf: Input[] = [
    ['right', 'a', 'x2', 108],
    ['right', 'z', 'tick', 120],
    ['left', 'c', 'C', 121],
    ['right', 'z', 'tick', 140],
  ];

  for (const mode of ['inner', 'left'] as const) {
    it(`${mode}: results with a restart in the middle equal results without`, async () => {
      const once = tempStateDir();
      const twice = tempStateDir();
      try {
        const single = await joinDriver(mode, window, once.dir);
        pipeAll(single, [...firstHalf, ...secondHalf]);
        const expected = single.out.readRecords().map(show);
        await single.driver.close();

        const first = await joinDriver(mode, window, twice.dir);
        pipeAll(first, firstHalf);
        const before = first.out.readRecords().map(show);
        await first.driver.close();
        const second = await joinDriver(mode, window, twice.dir);
        pipeAll(second, secondHalf);
        const after = second.out.readRecords().map(show);
        await second.driver.close();

        expect(expected).toEqual(
          mode === 'inner'
            ? ['a:A+x@105', 'a:A+x2@108']
            : ['a:A+x@105', 'a:A+x2@108', 'b:B+none@102', 'c:C+none@121'],
        );
        expect([...before, ...after]).toEqual(expected);
      } finally {
        once.remove();
        twice.remove();
      }
    });
  }
});

describe('stream-stream join options', () => {
  async function namedJoin(stateDir: string, store: 'memory' | 'persistent') {
    const b = new StreamsBuilder(); // the builder's default stays in memory
    const left = b.stream<string, string>('left');
    const right = b.stream<string, string>('right');
    left.join(right, (l, r) => `${l}+${r}`, windows.join({ within: 10 }), { name: 'pairs', store }).to('out');
    const topology = b.build();
    const driver = await TopologyTestDriver.create(topology, { stateDir });
    return {
      topology,
      driver,
      left: driver.createInputTopic<string, string>('left'),
      right: driver.createInputTopic<string, string>('right'),
      out: driver.createOutputTopic<string, string>('out'),
    };
  }

  for (const [store, survives] of [
    ['persistent', true],
    ['memory', false],
  ] as const) {
    it(`names the join's stores and uses the ${store} backend asked for, whatever the builder default`, async () => {
      const state = tempStateDir();
      try {
        const first = await namedJoin(state.dir, store);
        expect(first.topology.describe()).toContain('pairs-this-store');
        expect(first.topology.describe()).toContain('pairs-other-store');
        first.left.pipeInput('a', 'L', 100);
        await first.driver.close();
        const second = await namedJoin(state.dir, store);
        second.right.pipeInput('a', 'R', 105);
        // Only a persistent buffer still holds L@100 after the restart.
        expect(second.out.readRecords().map(show)).toEqual(survives ? ['a:L+R@105'] : []);
        await second.driver.close();
      } finally {
        state.remove();
      }
    });
  }
});
