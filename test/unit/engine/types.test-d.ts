/** Key and value types flow through the whole chain with no casts. */
import { describe, expectTypeOf, it } from 'vitest';
import { stats } from '../../../src/aggregations/index.js';
import type { KStream } from '../../../src/dsl/kstream.js';
import type { KTable, WindowedKTable } from '../../../src/dsl/ktable.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { Windowed } from '../../../src/runtime/record.js';

interface Packet {
  srcIp: string;
  dstPort: number;
  length: number;
  topLayer: string;
}

describe('DSL types', () => {
  const b = new StreamsBuilder();
  const packets = b.stream<string, Packet>('packets');

  it('stateless operators carry key and value types', () => {
    expectTypeOf(packets).toEqualTypeOf<KStream<string, Packet>>();
    expectTypeOf(packets.mapValues((p) => p.length)).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(packets.map((k, p) => ({ key: p.dstPort, value: k }))).toEqualTypeOf<
      KStream<number, string>
    >();
    expectTypeOf(packets.selectKey((_, p) => p.dstPort)).toEqualTypeOf<KStream<number, Packet>>();
    expectTypeOf(packets.flatMapValues((p) => [p.length, p.dstPort])).toEqualTypeOf<
      KStream<string, number>
    >();
    expectTypeOf(packets.filter((_, p) => p.length > 0)).toEqualTypeOf<KStream<string, Packet>>();
  });

  it('split and branchByLayer return streams by name', () => {
    const split = packets
      .split()
      .branch('big', (_, p) => p.length > 1000)
      .branch('small', (_, p) => p.length < 100)
      .defaultBranch('rest');
    expectTypeOf(split).toEqualTypeOf<{
      readonly big: KStream<string, Packet>;
      readonly small: KStream<string, Packet>;
      readonly rest: KStream<string, Packet>;
    }>();
    const byLayer = packets.branchByLayer(['tcp', 'udp']);
    expectTypeOf(byLayer.tcp).toEqualTypeOf<KStream<string, Packet>>();
    expectTypeOf(byLayer.default).toEqualTypeOf<KStream<string, Packet>>();
    // @ts-expect-error: only the declared outputs exist
    byLayer.icmp;
  });

  it('aggregations produce typed tables, windowed ones keyed by Windowed<K>', () => {
    expectTypeOf(packets.groupByKey().count()).toEqualTypeOf<KTable<string, number>>();
    const perPort = packets.groupBy((_, p) => p.dstPort).count();
    expectTypeOf(perPort).toEqualTypeOf<KTable<number, number>>();
    const windowed = packets
      .groupByKey()
      .windowedBy(windows.hopping({ size: '5m', advance: '1m', grace: '30s' }))
      .aggregate(
        stats.combine({
          packets: stats.count<Packet>(),
          bytes: stats.sum((p: Packet) => p.length),
        }),
      );
    expectTypeOf(windowed).toEqualTypeOf<
      WindowedKTable<string, Packet, { packets: number; bytes: number }>
    >();
    expectTypeOf(windowed.toStream()).toEqualTypeOf<
      KStream<Windowed<string>, { packets: number; bytes: number }>
    >();
    expectTypeOf(windowed.lateRecords()).toEqualTypeOf<KStream<string, Packet>>();
    const kafkaStyle = packets.groupByKey().aggregate(
      () => ({ n: 0 }),
      (_k, _p, agg) => ({ n: agg.n + 1 }),
    );
    expectTypeOf(kafkaStyle).toEqualTypeOf<KTable<string, { n: number }>>();
  });

  it('joins type the joiner and the result', () => {
    const hosts = b.table<string, { name: string }>('hosts');
    const joined = packets.leftJoin(hosts, (p, host) => {
      expectTypeOf(host).toEqualTypeOf<{ name: string } | undefined>();
      return `${host?.name}:${p.length}`;
    });
    expectTypeOf(joined).toEqualTypeOf<KStream<string, string>>();
    const dns = b.stream<string, { query: string }>('dns');
    const streamJoin = packets.join(
      dns,
      (p, d) => ({ port: p.dstPort, q: d.query }),
      windows.join({ within: '5s' }),
    );
    expectTypeOf(streamJoin).toEqualTypeOf<KStream<string, { port: number; q: string }>>();
  });
});
