import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';

describe('stateless operators', () => {
  it('map, filter, filterNot, mapValues, flatMap, flatMapValues, selectKey, peek run in order', async () => {
    const b = new StreamsBuilder();
    const peeked: string[] = [];
    b.stream<string, number>('in')
      .filter((_, v) => v > 0)
      .filterNot((k) => k === 'skip')
      .map((k, v) => ({ key: k.toUpperCase(), value: v * 10 }))
      .mapValues((v, k) => `${k}:${v}`)
      .flatMapValues((v) => [v, `${v}!`])
      .peek((k) => peeked.push(k))
      .flatMap((k, v) =>
        v.endsWith('!') ? [{ key: `${k}-bang`, value: v.length }] : [{ key: k, value: v.length }],
      )
      .selectKey((k, v) => `${k}#${v}`)
      .to('out');
    const driver = await TopologyTestDriver.create(b.build());
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1, 100);
    input.pipeInput('b', -1, 101);
    input.pipeInput('skip', 5, 102);
    input.pipeInput('c', 2, 103);
    const out = driver.createOutputTopic<string, number>('out').readRecords();
    expect(out.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['A#4', 4, 100],
      ['A-bang#5', 5, 100],
      ['C#4', 4, 103],
      ['C-bang#5', 5, 103],
    ]);
    expect(peeked).toEqual(['A', 'A', 'C', 'C']);
    await driver.close();
  });

  it('merge combines two streams; split routes to the first matching branch or the default', async () => {
    const b = new StreamsBuilder();
    const left = b.stream<string, number>('left');
    const right = b.stream<string, number>('right');
    const branches = left
      .merge(right)
      .split()
      .branch('small', (_, v) => v < 10)
      .branch('medium', (_, v) => v < 100)
      .defaultBranch('large');
    branches.small.to('small');
    branches.medium.to('medium');
    branches.large.to('large');
    const driver = await TopologyTestDriver.create(b.build());
    driver.createInputTopic<string, number>('left').pipeInput('x', 5, 1);
    driver.createInputTopic<string, number>('right').pipeInput('y', 50, 2);
    driver.createInputTopic<string, number>('left').pipeInput('z', 500, 3);
    driver.createInputTopic<string, number>('right').pipeInput('w', 7, 4);
    expect(driver.createOutputTopic('small').readValues()).toEqual([5, 7]);
    expect(driver.createOutputTopic('medium').readValues()).toEqual([50]);
    expect(driver.createOutputTopic('large').readValues()).toEqual([500]);
  });

  it('branchByLayer routes by top layer to a fixed set of outputs; unknown layers go to the default', async () => {
    interface P {
      topLayer: string;
      id: number;
    }
    const b = new StreamsBuilder();
    const out = b.stream<string, P>('packets').branchByLayer(['tcp', 'udp', 'dns']);
    out.tcp.to('packets.tcp');
    out.udp.to('packets.udp');
    out.dns.to('packets.dns');
    out.default.to('packets.other');
    const topology = b.build();
    const driver = await TopologyTestDriver.create(topology);
    const input = driver.createInputTopic<string, P>('packets');
    const layers = ['tcp', 'dns', 'udp', 'sctp', 'tcp', 'quic-from-the-future'];
    for (const [id, topLayer] of layers.entries()) input.pipeInput('10.0.0.1', { topLayer, id }, id);
    expect(
      driver
        .createOutputTopic<string, P>('packets.tcp')
        .readValues()
        .map((p) => p.id),
    ).toEqual([0, 4]);
    expect(
      driver
        .createOutputTopic<string, P>('packets.udp')
        .readValues()
        .map((p) => p.id),
    ).toEqual([2]);
    expect(
      driver
        .createOutputTopic<string, P>('packets.dns')
        .readValues()
        .map((p) => p.id),
    ).toEqual([1]);
    expect(
      driver
        .createOutputTopic<string, P>('packets.other')
        .readValues()
        .map((p) => p.id),
    ).toEqual([3, 5]);
    // Outputs are fixed at build time: no node or topic for the unknown layers exists.
    expect(topology.describe()).not.toContain('sctp');
  });

  it('routeByLayer writes straight to the configured topics with a custom extractor', async () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in').routeByLayer(
      { a: 'topic-a', b: 'topic-b', default: 'topic-rest' },
      { layerOf: (_, v) => v.split(':')[0] },
    );
    const driver = await TopologyTestDriver.create(b.build());
    const input = driver.createInputTopic<string, string>('in');
    for (const v of ['a:1', 'b:2', 'c:3', 'a:4']) input.pipeInput('k', v, 0);
    expect(driver.createOutputTopic('topic-a').readValues()).toEqual(['a:1', 'a:4']);
    expect(driver.createOutputTopic('topic-b').readValues()).toEqual(['b:2']);
    expect(driver.createOutputTopic('topic-rest').readValues()).toEqual(['c:3']);
  });
});
