import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { DEAD_LETTER_HEADERS } from '../../../src/runtime/error-policy.js';
import { ProcessingError } from '../../../src/runtime/errors.js';
import { TopologyTestDriver } from '../../../src/runtime/test-driver.js';

function poisonTopology() {
  const b = new StreamsBuilder();
  b.stream<string, string>('in')
    .mapValues((v) => {
      const parsed = JSON.parse(v) as { n: number };
      return parsed.n * 2;
    })
    .to('out');
  return b.build();
}

describe('processing-error policy', () => {
  it("'fail' (default) throws a ProcessingError carrying the node and the record's origin and key", async () => {
    const driver = await TopologyTestDriver.create(poisonTopology());
    const input = driver.createInputTopic<string, string>('in');
    input.pipeInput('k1', '{"n":1}', 1);
    let error: unknown;
    try {
      input.pipeInput('k2', '{not json', 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProcessingError);
    const pe = error as ProcessingError;
    expect(pe.node).toBe('map-values-2');
    expect(pe.origin).toEqual({ topic: 'in', partition: 0, offset: 1 });
    expect(pe.key).toBe('k2');
    expect(pe.message).toMatch(/Processor "map-values-2" threw .*topic in, partition 0, offset 1.*key "k2"/);
    expect(driver.createOutputTopic('out').readValues()).toEqual([2]);
  });

  it("'skip' drops the poison record, counts it, and keeps processing the rest", async () => {
    const driver = await TopologyTestDriver.create(poisonTopology(), { errors: { processing: 'skip' } });
    const input = driver.createInputTopic<string, string>('in');
    input.pipeRecords([
      { key: 'a', value: '{"n":1}', timestamp: 1 },
      { key: 'b', value: 'poison', timestamp: 2 },
      { key: 'c', value: '{"n":3}', timestamp: 3 },
    ]);
    expect(driver.createOutputTopic('out').readValues()).toEqual([2, 6]);
    expect(driver.metrics().get('errors.processing.skipped')).toBe(1);
  });

  it("'dead-letter' sends the original record with error and origin headers to the dead-letter topic", async () => {
    const driver = await TopologyTestDriver.create(poisonTopology(), {
      applicationId: 'netmon',
      errors: { processing: 'dead-letter' },
    });
    const input = driver.createInputTopic<string, string>('in');
    input.pipeInput('a', '{"n":1}', 10);
    input.pipeInput('b', 'poison', 20);
    input.pipeInput('c', '{"n":3}', 30);
    expect(driver.createOutputTopic('out').readValues()).toEqual([2, 6]);
    expect(driver.deadLetters).toBe('netmon-dead-letters');
    const [dead, ...rest] = driver.createOutputTopic<string, string>('netmon-dead-letters').readRecords();
    expect(rest).toEqual([]);
    expect(dead?.key).toBe('b');
    expect(dead?.value).toBe('poison');
    expect(dead?.headers?.[DEAD_LETTER_HEADERS.node]).toBe('map-values-2');
    expect(dead?.headers?.[DEAD_LETTER_HEADERS.topic]).toBe('in');
    expect(dead?.headers?.[DEAD_LETTER_HEADERS.partition]).toBe('0');
    expect(dead?.headers?.[DEAD_LETTER_HEADERS.offset]).toBe('1');
    expect(dead?.headers?.[DEAD_LETTER_HEADERS.timestamp]).toBe('20');
    expect(String(dead?.headers?.[DEAD_LETTER_HEADERS.error])).toMatch(/JSON/);
  });

  it('rejects an invalid event timestamp through the same policy', async () => {
    const b = new StreamsBuilder();
    b.stream<string, { ts: number }>('in', { timestampExtractor: (_, v) => v.ts }).to('out');
    const driver = await TopologyTestDriver.create(b.build(), { errors: { processing: 'skip' } });
    const input = driver.createInputTopic<string, { ts: number }>('in');
    input.pipeInput('a', { ts: 5 }, 0);
    input.pipeInput('b', { ts: Number.NaN }, 0);
    const out = driver.createOutputTopic<string, { ts: number }>('out').readRecords();
    expect(out.map((r) => [r.key, r.timestamp])).toEqual([['a', 5]]);
    expect(driver.metrics().get('errors.processing.skipped')).toBe(1);
  });
});
