/** Poison records on Kafka: the deserialization and processing doors, dead letters with their headers. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { DEAD_LETTER_HEADERS, type ErrorPolicies } from '../../../src/runtime/error-policy.js';
import { DeserializationError } from '../../../src/runtime/kafka/deserialization-error.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

interface Reading {
  celsius: number;
  boom?: boolean;
}

function app(input: string, output: string, applicationId: string, errors: ErrorPolicies) {
  const b = new StreamsBuilder();
  b.stream<string | null, Reading>(input, { key: stringSerde, value: jsonSerde<Reading>() })
    .mapValues((r) => {
      if (r.boom) throw new Error('sensor exploded');
      return r.celsius * 1.8 + 32;
    })
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  return new StreamsApp(b.build(), {
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), 'tributary-dlq-')),
    kafka: { brokers: brokers() },
    errors,
    commitIntervalMs: 200,
  });
}

const t0 = recentBase();

describe('StreamsApp on Kafka: error doors', () => {
  it('sends undecodable and failing records to the dead-letter topic with their origin, and keeps going', async () => {
    const input = await createTopic('readings', 1);
    const output = uniqueName('fahrenheit');
    await produce(input, [
      { key: 's1', value: '{"celsius":100}', timestamp: t0 },
      { key: 's2', value: Buffer.from('not json {'), timestamp: t0 + 1 },
      { key: 's3', value: '{"celsius":0,"boom":true}', timestamp: t0 + 2 },
      { key: 's4', value: '{"celsius":-40}', timestamp: t0 + 3 },
    ]);
    const applicationId = uniqueName('dlq');
    const streams = app(input, output, applicationId, {
      deserialization: 'dead-letter',
      processing: 'dead-letter',
    });
    await streams.start();
    await streams.whenDone();
    const out = await readTopic(output, (rs) => rs.length >= 2);
    const dead = await readTopic(`${applicationId}-dead-letters`, (rs) => rs.length >= 2);
    const deadLetterMetric = (await streams.metricsRegistry!.getMetricsAsJSON()).find(
      (m) => m.name === 'tributary_dead_letters_total',
    );
    await streams.close();

    expect(deadLetterMetric?.values.map((v) => [v.labels.door, v.value])).toEqual([
      ['deserialization', 1],
      ['processing', 1],
    ]);
    expect(out.map((r) => [r.key, r.value])).toEqual([
      ['s1', '212'],
      ['s4', '-40'],
    ]);
    expect(dead.map((r) => r.key)).toEqual(['s2', 's3']);
    const [undecodable, failing] = dead;
    expect(undecodable!.value).toBe('not json {');
    expect(undecodable!.headers[DEAD_LETTER_HEADERS.door]).toBe('deserialization');
    expect(undecodable!.headers[DEAD_LETTER_HEADERS.error]).toContain('not valid JSON');
    expect(undecodable!.headers[DEAD_LETTER_HEADERS.offset]).toBe('1');
    expect(undecodable!.headers[DEAD_LETTER_HEADERS.topic]).toBe(input);
    expect(failing!.headers[DEAD_LETTER_HEADERS.door]).toBe('processing');
    expect(failing!.headers[DEAD_LETTER_HEADERS.error]).toBe('sensor exploded');
    expect(failing!.headers[DEAD_LETTER_HEADERS.offset]).toBe('2');
    expect(JSON.parse(failing!.value!)).toEqual({ celsius: 0, boom: true });
    const metrics = streams.metrics();
    expect(metrics.get('errors.deserialization.dead-lettered')).toBe(1);
    expect(metrics.get('errors.processing.dead-lettered')).toBe(1);
  });

  it("stops in ERROR naming the offset when a record cannot be deserialized and the door is 'fail'", async () => {
    const input = await createTopic('readings', 1);
    await produce(input, [
      { key: 's1', value: '{"celsius":1}', timestamp: t0 },
      { key: 's2', value: Buffer.from([0xff, 0x00]), timestamp: t0 + 1 },
    ]);
    const streams = app(input, uniqueName('fahrenheit'), uniqueName('dlq-fail'), {});
    await streams.start();
    await expect(streams.whenDone()).rejects.toBeInstanceOf(DeserializationError);
    expect(streams.state).toBe('ERROR');
    expect(streams.error?.message).toContain(`topic ${input}, partition 0, offset 1`);
    await streams.close();
    expect(streams.state).toBe('NOT_RUNNING');
  });
});
