import { describe, expectTypeOf, it } from 'vitest';
import {
  type Aggregator,
  type AggregatorInput,
  type AggregatorOutput,
  aggregator,
  avg,
  combine,
  count,
  distinctCount,
  percentiles,
  type QuantileKey,
  stats,
  sum,
} from '../../../src/aggregations/index.js';

interface Packet {
  src: string;
  len: number;
  rttMs: number;
}

/** Stands in for the DSL's `.aggregate(...)` on a stream of packets: the input type comes from context. */
function aggregatePackets<Acc, Out>(agg: Aggregator<Packet, Acc, Out>): Out {
  return agg.result(agg.init());
}

describe('percentiles result type', () => {
  it('has one key per quantile literal', () => {
    const p = percentiles((x: Packet) => x.rttMs, [0.5, 0.99]);
    expectTypeOf<AggregatorOutput<typeof p>>().toEqualTypeOf<{ p50: number; p99: number } | null>();
  });

  it('names fractional percentiles with an underscore and single digits as tens', () => {
    const p = percentiles((x: number) => x, [0, 0.001, 0.05, 0.1, 0.125, 0.95, 0.999, 0.9999, 1]);
    expectTypeOf<AggregatorOutput<typeof p>>().toEqualTypeOf<{
      p0: number;
      p0_1: number;
      p5: number;
      p10: number;
      p12_5: number;
      p95: number;
      p99_9: number;
      p99_99: number;
      p100: number;
    } | null>();
  });

  it('defaults to p50, p95 and p99', () => {
    const p = percentiles((x: number) => x);
    expectTypeOf<AggregatorOutput<typeof p>>().toEqualTypeOf<{
      p50: number;
      p95: number;
      p99: number;
    } | null>();
  });

  it('falls back to string keys for a list that is not literal', () => {
    const qs: number[] = [0.5];
    expectTypeOf<AggregatorOutput<ReturnType<typeof percentiles<number, number[]>>>>().toEqualTypeOf<{
      [key: string]: number;
    } | null>();
    expectTypeOf(percentiles((x: number) => x, qs).result).returns.toEqualTypeOf<{
      [key: string]: number;
    } | null>();
    expectTypeOf<QuantileKey<number>>().toEqualTypeOf<string>();
  });
});

describe('combine result type', () => {
  it('is the object of the parts’ results, input from the annotated selectors', () => {
    const agg = combine({
      count: count(),
      bytes: sum((p: Packet) => p.len),
      p: percentiles((p: Packet) => p.rttMs, [0.5, 0.95, 0.99]),
    });
    expectTypeOf<AggregatorOutput<typeof agg>>().toEqualTypeOf<{
      count: number;
      bytes: number;
      p: { p50: number; p95: number; p99: number } | null;
    }>();
    expectTypeOf<AggregatorInput<typeof agg>>().toEqualTypeOf<Packet>();
  });

  it('takes its input type from the context, typing unannotated selectors', () => {
    const out = aggregatePackets(
      stats.combine({
        count: stats.count(),
        bytes: stats.sum((p) => p.len),
        mean: avg((p) => p.rttMs),
        sources: distinctCount((p) => p.src),
        rtt: stats.percentiles((p) => p.rttMs, [0.5, 0.999]),
      }),
    );
    expectTypeOf(out).toEqualTypeOf<{
      count: number;
      bytes: number;
      mean: number | null;
      sources: number;
      rtt: { p50: number; p99_9: number } | null;
    }>();
  });

  it('rejects selectors that read fields the input does not have', () => {
    // @ts-expect-error Packet has no `nope`
    aggregatePackets(combine({ bytes: sum((p) => p.nope) }));
  });

  it('requires every part to accept the input', () => {
    const onStrings = sum((s: string) => s.length);
    // @ts-expect-error a string aggregator cannot run on packets
    aggregatePackets(combine({ lengths: onStrings }));
  });

  it('nests', () => {
    const agg = combine({ outer: combine({ inner: count<Packet>() }), n: count<Packet>() });
    expectTypeOf<AggregatorOutput<typeof agg>>().toEqualTypeOf<{ outer: { inner: number }; n: number }>();
  });
});

describe('aggregator (from functions) type', () => {
  it('is Aggregator<V, Acc, Acc> without a result mapping and Aggregator<V, Acc, Out> with one', () => {
    const plain = aggregator(
      () => 0,
      (acc, p: Packet) => acc + p.len,
    );
    expectTypeOf(plain).toEqualTypeOf<Aggregator<Packet, number, number>>();
    const mapped = aggregator(
      () => ({ n: 0 }),
      (acc, _p: Packet) => ({ n: acc.n + 1 }),
      undefined,
      (acc) => `${acc.n} packets`,
    );
    expectTypeOf(mapped).toEqualTypeOf<Aggregator<Packet, { n: number }, string>>();
  });
});
