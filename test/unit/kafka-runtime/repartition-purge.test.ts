/**
 * RepartitionPurger: which offsets it deletes below, how often, and what it does with a failed request.
 * The admin port is a recording fake (the port is tributary's own; the broker side is tested in
 * test/integration/kafka-runtime/repartition-purge.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AdminPort } from '../../../src/runtime/kafka/client-port.js';
import type { Counters } from '../../../src/runtime/kafka/engine-counters.js';
import { RepartitionPurger } from '../../../src/runtime/kafka/repartition-purge.js';

function setup(options: { intervalMs?: number; failFirst?: boolean } = {}) {
  let now = 1_000;
  let failures = options.failFirst ? 1 : 0;
  const calls: string[] = [];
  const admin = {
    deleteRecordsBefore: async (topic: string, offsets: ReadonlyMap<number, number>) => {
      if (failures-- > 0) throw new Error('broker away');
      calls.push(`${topic} ${[...offsets].map(([p, o]) => `${p}<${o}`).join(' ')}`);
    },
  } as unknown as AdminPort;
  const counters: Counters = new Map();
  const purger = new RepartitionPurger({
    admin,
    repartitionTopics: new Set(['app-r-repartition']),
    intervalMs: options.intervalMs ?? 30_000,
    clock: () => now,
    counters,
  });
  return { purger, calls, counters, advance: (ms: number) => (now += ms) };
}

const at = (topic: string, partition: number, offset: number) => ({ topic, partition, offset });

describe('RepartitionPurger', () => {
  it('deletes below the latest committed offsets of repartition partitions, at most once per interval', async () => {
    const { purger, calls, counters, advance } = setup();
    purger.committed([at('app-r-repartition', 0, 10), at('input', 0, 50)]);
    await purger.close();
    expect(calls).toEqual([]); // the interval has not passed since the start
    advance(20_000);
    purger.committed([at('app-r-repartition', 0, 20), at('app-r-repartition', 1, 7)]);
    advance(10_000);
    purger.committed([at('app-r-repartition', 0, 25)]);
    await purger.close();
    expect(calls).toEqual(['app-r-repartition 0<25 1<7']);
    advance(1_000);
    purger.committed([at('app-r-repartition', 1, 9)]);
    await purger.close();
    expect(calls).toHaveLength(1);
    expect(counters.get('repartition.purges')).toBe(1);
  });

  it('asks again with the next purge after a failed request, newer offsets first', async () => {
    const { purger, calls, counters, advance } = setup({ failFirst: true });
    advance(30_000);
    purger.committed([at('app-r-repartition', 0, 10), at('app-r-repartition', 1, 4)]);
    await purger.close();
    expect(counters.get('repartition.purge.failures')).toBe(1);
    advance(30_000);
    purger.committed([at('app-r-repartition', 0, 12)]);
    await purger.close();
    expect(calls).toEqual(['app-r-repartition 0<12 1<4']);
  });

  it('does nothing with an interval of 0', async () => {
    const { purger, calls, advance } = setup({ intervalMs: 0 });
    advance(60_000);
    purger.committed([at('app-r-repartition', 0, 10)]);
    await purger.close();
    expect(calls).toEqual([]);
  });
});
