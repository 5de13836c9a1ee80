/**
 * The Avro serde behaviour every registry must support, as one suite: run against the stand-in
 * (test/unit/avro) and, when SCHEMA_REGISTRY_URL is set, against a real registry
 * (test/integration/avro/external-registry.test.ts). Topics are unique per run, so the suite also
 * works against a registry that keeps subjects from earlier runs.
 */
import { randomUUID } from 'node:crypto';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AvroPacket,
  type AvroRecordSchema,
  AvroSerdeError,
  type AvroWindowedStats,
  avroSerde,
  confluentSchemaRegistry,
  PACKET_AVRO_SCHEMA,
  type SchemaRegistryClient,
  WINDOWED_STATS_AVRO_SCHEMA,
} from '../../src/connectors/avro/index.js';
import type { TestSchemaRegistry } from './schema-registry.js';

/** A registry client that counts the calls the serdes make. */
export function countingClient(inner: SchemaRegistryClient) {
  const calls = { register: 0, idOf: 0, typeById: 0 };
  const client: SchemaRegistryClient = {
    url: inner.url,
    register: (subject, schema) => {
      calls.register++;
      return inner.register(subject, schema);
    },
    idOf: (subject, schema) => {
      calls.idOf++;
      return inner.idOf(subject, schema);
    },
    typeById: (id) => {
      calls.typeById++;
      return inner.typeById(id);
    },
  };
  return { client, calls };
}

/** A packet with every layer filled in (DNS over UDP). */
export function samplePacket(overrides: Partial<AvroPacket> = {}): AvroPacket {
  return {
    timestampMicros: 1_700_000_000_123_456,
    frameLength: 74,
    protocols: ['eth', 'ethertype', 'ip', 'udp', 'dns'],
    topLayer: 'dns',
    srcMac: '02:00:00:00:00:01',
    dstMac: '02:00:00:00:00:02',
    srcIp: '10.0.0.5',
    dstIp: '10.0.0.53',
    ipVersion: 4,
    srcPort: 53_124,
    dstPort: 53,
    tcpSyn: null,
    tcpAck: null,
    tcpFin: null,
    tcpRst: null,
    tcpPsh: null,
    ackRttMs: null,
    icmpType: null,
    icmpCode: null,
    arpOp: null,
    dnsQueryName: 'example.com',
    dnsQueryType: 1,
    dnsRcode: 3,
    dnsResponseTimeMs: 12.5,
    dnsIsResponse: true,
    httpHost: null,
    httpMethod: null,
    httpStatus: null,
    httpResponseTimeMs: null,
    tlsSni: null,
    layers: '{"dns":{"dns_dns_qry_name":"example.com"}}',
    ...overrides,
  };
}

const READING_V1 = {
  type: 'record',
  name: 'Reading',
  namespace: 'tributary.test',
  fields: [
    { name: 'sensor', type: 'string' },
    { name: 'value', type: 'double' },
  ],
} as const satisfies AvroRecordSchema;

/** v1 plus a field with a default: compatible both ways. */
const READING_V2 = {
  ...READING_V1,
  fields: [...READING_V1.fields, { name: 'unit', type: 'string', default: 'celsius' }],
} as const satisfies AvroRecordSchema;

/** v1 plus a field without a default: new readers cannot read old data (not BACKWARD compatible). */
const READING_BREAKING = {
  ...READING_V1,
  fields: [...READING_V1.fields, { name: 'location', type: 'string' }],
} as const satisfies AvroRecordSchema;

/** Runs the serde contract against the registry `start` returns. */
export function describeAvroSerdeContract(title: string, start: () => Promise<TestSchemaRegistry>): void {
  describe(title, () => {
    let registry: TestSchemaRegistry;
    let client: SchemaRegistryClient;
    const topic = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      registry = await start();
      client = confluentSchemaRegistry({ url: registry.url, retries: 0 });
    });
    afterAll(async () => {
      await registry?.close();
    });

    it('round-trips packets, nulls included, and tombstones stay null', async () => {
      const serde = avroSerde<AvroPacket>({ registry: client, schema: PACKET_AVRO_SCHEMA });
      const t = topic('packets');
      const dns = samplePacket();
      const arp = samplePacket({
        protocols: ['eth', 'ethertype', 'arp'],
        topLayer: 'arp',
        srcIp: null,
        dstIp: null,
        ipVersion: null,
        srcPort: null,
        dstPort: null,
        arpOp: 1,
        dnsQueryName: null,
        dnsQueryType: null,
        dnsRcode: null,
        dnsResponseTimeMs: null,
        dnsIsResponse: null,
        layers: null,
      });
      for (const packet of [dns, arp]) {
        const bytes = await serde.serialize(packet, t);
        expect(bytes).not.toBeNull();
        expect({ ...(await serde.deserialize(bytes, t)) }).toEqual(packet);
      }
      expect(await serde.serialize(null as unknown as AvroPacket, t)).toBeNull();
      expect(await serde.deserialize(null, t)).toBeNull();
    });

    it('writes magic byte 0, the registered schema id big-endian, then the plain Avro encoding', async () => {
      const serde = avroSerde<AvroWindowedStats>({ registry: client, schema: WINDOWED_STATS_AVRO_SCHEMA });
      const t = topic('stats');
      const stats: AvroWindowedStats = {
        windowStart: 1_700_000_000_000,
        windowEnd: 1_700_000_060_000,
        srcIp: '10.0.0.5',
        packets: 1200,
        bytes: 96_000,
        distinctDstPorts: 3,
        distinctDstHosts: 2,
        synCount: 10,
        synAckCount: 9,
        avgResponseMs: 4.5,
        maxResponseMs: null,
        nxdomainCount: 0,
      };
      const bytes = (await serde.serialize(stats, t)) as Buffer;
      const id = await client.idOf(`${t}-value`, JSON.stringify(WINDOWED_STATS_AVRO_SCHEMA));
      const avroBody = avro.Type.forSchema(WINDOWED_STATS_AVRO_SCHEMA as unknown as avro.Schema).toBuffer(
        stats,
      );
      expect(bytes[0]).toBe(0);
      expect(bytes.readInt32BE(1)).toBe(id);
      expect(bytes.subarray(0, 5)).toEqual(
        Buffer.from([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]),
      );
      expect(bytes.subarray(5)).toEqual(avroBody);
      expect(bytes.length).toBe(5 + avroBody.length);
    });

    it('registers once per subject and fetches each writer schema once, even for concurrent first calls', async () => {
      const { client: counted, calls } = countingClient(client);
      const serde = avroSerde<AvroPacket>({ registry: counted, schema: PACKET_AVRO_SCHEMA });
      const t = topic('cached');
      const encoded = await Promise.all(
        Array.from({ length: 50 }, (_, i) => serde.serialize(samplePacket({ frameLength: i }), t)),
      );
      expect(calls.register).toBe(1);
      const reader = avroSerde<AvroPacket>({ registry: counted, schema: PACKET_AVRO_SCHEMA });
      const decoded = await Promise.all(encoded.map((bytes) => reader.deserialize(bytes, t)));
      expect(decoded.map((p) => p.frameLength)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(calls.typeById).toBe(1);
      // A second topic is a second subject under the topic strategy: one more registration, same id.
      const other = topic('cached-other');
      const again = (await serde.serialize(samplePacket(), other)) as Buffer;
      expect(calls.register).toBe(2);
      expect(again.readInt32BE(1)).toBe((encoded[0] as Buffer).readInt32BE(1));
    });

    it('names subjects by topic (-value/-key), by record name, and by topic and record name', async () => {
      const t = topic('naming');
      const schema = JSON.stringify(PACKET_AVRO_SCHEMA);
      const cases = [
        { options: {}, subject: `${t}-value` },
        { options: { isKey: true }, subject: `${t}-key` },
        { options: { subjectNameStrategy: 'record' as const }, subject: 'tributary.netmon.Packet' },
        {
          options: { subjectNameStrategy: 'topic-record' as const },
          subject: `${t}-tributary.netmon.Packet`,
        },
      ];
      for (const { options, subject } of cases) {
        const serde = avroSerde<AvroPacket>({ registry: client, schema: PACKET_AVRO_SCHEMA, ...options });
        const bytes = (await serde.serialize(samplePacket(), t)) as Buffer;
        // The registry now holds the schema under exactly that subject, with the id the bytes carry.
        expect(await client.idOf(subject, schema)).toBe(bytes.readInt32BE(1));
      }
    });

    it('reads old data with a newer reader schema (added field gets its default) and new data with an older one', async () => {
      const t = topic('readings');
      const v1 = avroSerde<{ sensor: string; value: number }>({ registry: client, schema: READING_V1 });
      const v2 = avroSerde<{ sensor: string; value: number; unit: string }>({
        registry: client,
        schema: READING_V2,
      });
      const oldBytes = await v1.serialize({ sensor: 's1', value: 21.5 }, t);
      const newBytes = await v2.serialize({ sensor: 's2', value: 70.1, unit: 'fahrenheit' }, t);
      expect((newBytes as Buffer).readInt32BE(1)).not.toBe((oldBytes as Buffer).readInt32BE(1));
      // Reader newer than writer.
      expect({ ...(await v2.deserialize(oldBytes, t)) }).toEqual({
        sensor: 's1',
        value: 21.5,
        unit: 'celsius',
      });
      // Reader older than writer: the field it does not know is skipped.
      expect({ ...(await v1.deserialize(newBytes, t)) }).toEqual({ sensor: 's2', value: 70.1 });
      // And each reads its own.
      expect({ ...(await v2.deserialize(newBytes, t)) }).toEqual({
        sensor: 's2',
        value: 70.1,
        unit: 'fahrenheit',
      });
    });

    it('refuses an incompatible schema (409) with an error naming subject and topic', async () => {
      const t = topic('breaking');
      await avroSerde({ registry: client, schema: READING_V1 }).serialize({ sensor: 's', value: 1 }, t);
      const breaking = avroSerde({ registry: client, schema: READING_BREAKING });
      const error = await breaking
        .serialize({ sensor: 's', value: 1, location: 'lab' }, t)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AvroSerdeError);
      expect((error as AvroSerdeError).subject).toBe(`${t}-value`);
      expect((error as AvroSerdeError).message).toContain(`subject "${t}-value"`);
      expect((error as AvroSerdeError).message).toContain(`topic "${t}"`);
      expect((error as AvroSerdeError).message).toMatch(/incompatible/);
    });

    it('without autoRegister, uses an already registered schema and fails clearly on a missing one', async () => {
      const t = topic('no-auto');
      const registered = await avroSerde({ registry: client, schema: READING_V1 }).serialize(
        { sensor: 'a', value: 1 },
        t,
      );
      const lookupOnly = avroSerde({ registry: client, schema: READING_V1, autoRegister: false });
      const bytes = (await lookupOnly.serialize({ sensor: 'a', value: 1 }, t)) as Buffer;
      expect(bytes).toEqual(registered);
      const missing = avroSerde({ registry: client, schema: READING_V2, autoRegister: false });
      await expect(missing.serialize({ sensor: 'a', value: 1, unit: 'K' }, t)).rejects.toThrow(
        new RegExp(
          `could not find Avro schema tributary.test.Reading under subject "${t}-value".*not registered`,
        ),
      );
    });

    it('rejects bad input with errors naming the topic and schema id', async () => {
      const t = topic('bad');
      const serde = avroSerde<AvroPacket>({ registry: client, schema: PACKET_AVRO_SCHEMA });
      const good = (await serde.serialize(samplePacket(), t)) as Buffer;
      const id = good.readInt32BE(1);

      const json = Buffer.from('{"frameLength":74}');
      await expect(serde.deserialize(json, t)).rejects.toThrow(
        new RegExp(`topic "${t}" is not Avro in the Confluent wire format: its first byte is 0x7b`),
      );
      await expect(serde.deserialize(Buffer.from([0, 0, 1]), t)).rejects.toThrow(
        /3 bytes long, shorter than the 5-byte/,
      );

      const unknownId = 2_000_000_000;
      const foreign = Buffer.from(good);
      foreign.writeInt32BE(unknownId, 1);
      const unknown = await serde.deserialize(foreign, t).catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(AvroSerdeError);
      expect((unknown as AvroSerdeError).schemaId).toBe(unknownId);
      expect((unknown as AvroSerdeError).message).toContain(
        `topic "${t}" names schema id ${unknownId}, which the registry`,
      );

      const truncated = good.subarray(0, good.length - 10);
      const undecodable = await serde.deserialize(truncated, t).catch((e: unknown) => e);
      expect(undecodable).toBeInstanceOf(AvroSerdeError);
      expect((undecodable as AvroSerdeError).topic).toBe(t);
      expect((undecodable as AvroSerdeError).message).toContain(
        `topic "${t}" with schema id ${id} does not decode`,
      );
      const trailing = Buffer.concat([good, Buffer.from([1, 2, 3])]);
      await expect(serde.deserialize(trailing, t)).rejects.toThrow(`schema id ${id} does not decode`);

      const wrongValue = { ...samplePacket(), frameLength: 'big' } as unknown as AvroPacket;
      await expect(serde.serialize(wrongValue, t)).rejects.toThrow(
        /field "frameLength" holds "big", expected "int"/,
      );
    });

    it('names both schemas when the writer schema cannot be read with the reader schema', async () => {
      const t = topic('foreign');
      const packetBytes = await avroSerde<AvroPacket>({
        registry: client,
        schema: PACKET_AVRO_SCHEMA,
      }).serialize(samplePacket(), t);
      const readingReader = avroSerde({ registry: client, schema: READING_V1 });
      const error = await readingReader.deserialize(packetBytes, t).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AvroSerdeError);
      expect((error as AvroSerdeError).message).toMatch(
        new RegExp(
          `topic "${t}" was written with schema id \\d+ \\(tributary.netmon.Packet\\), which reader schema tributary.test.Reading cannot read`,
        ),
      );
    });
  });
}
