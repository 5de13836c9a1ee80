/**
 * Bad records among good ones on a real broker: a record naming a schema id the registry does not
 * know, and a record that is not Avro at all. Consumed batches are decoded the way the Kafka
 * runtime does it (every value's deserialize settled together), so one bad record must fail alone
 * with an AvroSerdeError naming its topic (and schema id), and every good record must decode.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AvroPacket,
  AvroSerdeError,
  avroSerde,
  confluentSchemaRegistry,
  PACKET_AVRO_SCHEMA,
} from '../../../src/connectors/avro/index.js';
import { testKafka, uniqueName } from '../../helpers/kafka.js';
import {
  externalSchemaRegistry,
  startStandInSchemaRegistry,
  type TestSchemaRegistry,
} from '../../helpers/schema-registry.js';
import { samplePacket } from '../../helpers/schema-registry-contract.js';

/** An id far above anything a test registry hands out. */
const UNKNOWN_ID = 1_999_999_999;

let registry: TestSchemaRegistry;
beforeAll(async () => {
  registry = externalSchemaRegistry() ?? (await startStandInSchemaRegistry());
});
afterAll(async () => {
  await registry?.close();
});

it('fails only the record with an unknown schema id (and the non-Avro one); the good records decode', async () => {
  const kafka = testKafka('avro-bad-records');
  const topic = uniqueName('network-packets-bad');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();

  const producerSerde = avroSerde<AvroPacket>({
    registry: confluentSchemaRegistry({ url: registry.url }),
    schema: PACKET_AVRO_SCHEMA,
  });
  const good = [1, 2, 3].map((n) => samplePacket({ frameLength: 100 + n }));
  const [first, second, third] = (await Promise.all(
    good.map((p) => producerSerde.serialize(p, topic)),
  )) as Buffer[];
  const foreign = Buffer.from(second!);
  foreign.writeInt32BE(UNKNOWN_ID, 1);
  const values = [first!, foreign, second!, Buffer.from('{"frameLength":74}'), third!];

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
  await producer.disconnect();

  const consumerSerde = avroSerde<AvroPacket>({
    registry: confluentSchemaRegistry({ url: registry.url }),
    schema: PACKET_AVRO_SCHEMA,
  });
  const outcomes: Array<{ offset: string; outcome: PromiseSettledResult<AvroPacket> }> = [];
  const consumer = kafka.consumer({ groupId: uniqueName('avro-bad-records') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          const settled = await Promise.allSettled(
            batch.messages.map((m) => consumerSerde.deserialize(m.value, topic)),
          );
          settled.forEach((outcome, i) => void outcomes.push({ offset: batch.messages[i]!.offset, outcome }));
          if (outcomes.length >= values.length) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  expect(outcomes.map((o) => o.offset)).toEqual(['0', '1', '2', '3', '4']);
  const decoded = outcomes.flatMap((o) => (o.outcome.status === 'fulfilled' ? [{ ...o.outcome.value }] : []));
  expect(decoded).toEqual(good);

  const unknown = outcomes[1]!.outcome;
  expect(unknown.status).toBe('rejected');
  const unknownError = (unknown as PromiseRejectedResult).reason as AvroSerdeError;
  expect(unknownError).toBeInstanceOf(AvroSerdeError);
  expect(unknownError.topic).toBe(topic);
  expect(unknownError.schemaId).toBe(UNKNOWN_ID);
  expect(unknownError.message).toContain(
    `record from topic "${topic}" names schema id ${UNKNOWN_ID}, which the registry at ${registry.url} does not know`,
  );

  const notAvro = outcomes[3]!.outcome;
  expect(notAvro.status).toBe('rejected');
  const notAvroError = (notAvro as PromiseRejectedResult).reason as AvroSerdeError;
  expect(notAvroError).toBeInstanceOf(AvroSerdeError);
  expect(notAvroError.message).toContain(
    `record from topic "${topic}" is not Avro in the Confluent wire format: its first byte is 0x7b`,
  );
});
