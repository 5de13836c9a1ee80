import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AvroPacket,
  avroSerde,
  confluentSchemaRegistry,
  PACKET_AVRO_SCHEMA,
} from '../../../src/connectors/avro/index.js';
import { stringSerde } from '../../../src/runtime/serde.js';
import { testKafka, uniqueName } from '../../helpers/kafka.js';
import {
  externalSchemaRegistry,
  startStandInSchemaRegistry,
  type TestSchemaRegistry,
} from '../../helpers/schema-registry.js';
import { samplePacket } from '../../helpers/schema-registry-contract.js';

let registry: TestSchemaRegistry;
beforeAll(async () => {
  registry = externalSchemaRegistry() ?? (await startStandInSchemaRegistry());
});
afterAll(async () => {
  await registry?.close();
});

it('produces Avro packets to a real broker with kafkajs, and consumes and decodes them', async () => {
  const kafka = testKafka('avro-e2e');
  const topic = uniqueName('network-packets');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();

  const client = confluentSchemaRegistry({ url: registry.url });
  const producerSerde = avroSerde<AvroPacket>({ registry: client, schema: PACKET_AVRO_SCHEMA });
  const packets = Array.from({ length: 20 }, (_, i) =>
    samplePacket({
      timestampMicros: 1_700_000_000_000_000 + i * 1_000,
      frameLength: 60 + i,
      srcIp: `10.0.0.${i}`,
      topLayer: i % 2 === 0 ? 'dns' : 'tcp',
      tcpSyn: i % 2 === 0 ? null : true,
      ackRttMs: i % 2 === 0 ? null : i / 10,
    }),
  );
  // Encoding is awaited per batch, as the runtime's connectors do.
  const values = await Promise.all(packets.map((p) => producerSerde.serialize(p, topic)));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: packets.map((p, i) => ({
      key: p.srcIp === null ? null : stringSerde.serialize(p.srcIp, topic),
      value: values[i] ?? null,
    })),
  });
  await producer.disconnect();

  const consumerSerde = avroSerde<AvroPacket>({
    registry: confluentSchemaRegistry({ url: registry.url }),
    schema: PACKET_AVRO_SCHEMA,
  });
  const consumer = kafka.consumer({ groupId: uniqueName('avro-e2e') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: Array<{ key: string | null; value: AvroPacket; schemaId: number }> = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          const decoded = await Promise.all(
            batch.messages.map((m) => consumerSerde.deserialize(m.value, topic)),
          );
          batch.messages.forEach((m, i) => {
            received.push({
              key: stringSerde.deserialize(m.key, topic),
              value: { ...(decoded[i] as AvroPacket) },
              schemaId: (m.value as Buffer).readInt32BE(1),
            });
          });
          if (received.length >= packets.length) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  expect(received.map((r) => r.value)).toEqual(packets);
  expect(received.map((r) => r.key)).toEqual(packets.map((p) => p.srcIp));
  const id = await client.idOf(`${topic}-value`, JSON.stringify(PACKET_AVRO_SCHEMA));
  expect(new Set(received.map((r) => r.schemaId))).toEqual(new Set([id]));
});
