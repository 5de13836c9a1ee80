/**
 * Avro records the serde cannot read, in a running StreamsApp on a real broker: a record naming a
 * schema id the registry does not know and a record that is not Avro go through the
 * deserialization door to the dead-letter topic, with the serde's message; the good records around
 * them reach the output.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AvroPacket,
  avroSerde,
  confluentSchemaRegistry,
  PACKET_AVRO_SCHEMA,
} from '../../../src/connectors/avro/index.js';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { DEAD_LETTER_HEADERS } from '../../../src/runtime/error-policy.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import {
  externalSchemaRegistry,
  startStandInSchemaRegistry,
  type TestSchemaRegistry,
} from '../../helpers/schema-registry.js';
import { samplePacket } from '../../helpers/schema-registry-contract.js';
import { createTopic, produce, readTopic } from '../kafka-runtime/kafka-test-io.js';

const UNKNOWN_ID = 1_999_999_998;
const t0 = 1_700_000_000_000;

let registry: TestSchemaRegistry;
beforeAll(async () => {
  registry = externalSchemaRegistry() ?? (await startStandInSchemaRegistry());
});
afterAll(async () => {
  await registry?.close();
});

it('dead-letters a record with an unknown schema id and a non-Avro record, and processes the rest', async () => {
  const input = await createTopic('avro-packets', 1);
  const output = uniqueName('frame-lengths');
  const writer = avroSerde<AvroPacket>({
    registry: confluentSchemaRegistry({ url: registry.url }),
    schema: PACKET_AVRO_SCHEMA,
  });
  const encode = async (frameLength: number) =>
    (await writer.serialize(samplePacket({ frameLength }), input)) as Buffer;
  const foreign = await encode(2);
  foreign.writeInt32BE(UNKNOWN_ID, 1);
  await produce(input, [
    { key: 'a', value: await encode(1), timestamp: t0 },
    { key: 'b', value: foreign, timestamp: t0 + 1 },
    { key: 'c', value: await encode(3), timestamp: t0 + 2 },
    { key: 'd', value: '{"frameLength":4}', timestamp: t0 + 3 },
    { key: 'e', value: await encode(5), timestamp: t0 + 4 },
  ]);

  const b = new StreamsBuilder();
  b.stream<string | null, AvroPacket>(input, {
    key: stringSerde,
    value: avroSerde<AvroPacket>({
      registry: confluentSchemaRegistry({ url: registry.url }),
      schema: PACKET_AVRO_SCHEMA,
    }),
  })
    .mapValues((p) => p.frameLength)
    .to(output, { key: stringSerde, value: jsonSerde<number>() });
  const applicationId = uniqueName('avro-dlq');
  const streams = new StreamsApp(b.build(), {
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), 'tributary-avro-dlq-')),
    kafka: { brokers: brokers() },
    errors: { deserialization: 'dead-letter' },
    commitIntervalMs: 200,
  });
  await streams.start();
  try {
    await streams.whenDone();
    const out = await readTopic(output, (rs) => rs.length >= 3);
    const dead = await readTopic(`${applicationId}-dead-letters`, (rs) => rs.length >= 2);

    expect(out.map((r) => [r.key, r.value])).toEqual([
      ['a', '1'],
      ['c', '3'],
      ['e', '5'],
    ]);
    expect(dead.map((r) => [r.key, r.headers[DEAD_LETTER_HEADERS.offset]])).toEqual([
      ['b', '1'],
      ['d', '3'],
    ]);
    for (const letter of dead) {
      expect(letter.headers[DEAD_LETTER_HEADERS.door]).toBe('deserialization');
      expect(letter.headers[DEAD_LETTER_HEADERS.errorClass]).toBe('AvroSerdeError');
      expect(letter.headers[DEAD_LETTER_HEADERS.topic]).toBe(input);
    }
    expect(dead[0]!.headers[DEAD_LETTER_HEADERS.error]).toContain(
      `names schema id ${UNKNOWN_ID}, which the registry at ${registry.url} does not know`,
    );
    expect(dead[1]!.headers[DEAD_LETTER_HEADERS.error]).toContain('is not Avro in the Confluent wire format');
    expect(dead[1]!.value).toBe('{"frameLength":4}');
    expect(streams.metrics().get('errors.deserialization.dead-lettered')).toBe(2);
  } finally {
    await streams.close();
  }
});
