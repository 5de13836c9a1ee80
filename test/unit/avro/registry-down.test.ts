/**
 * The registry goes away and comes back. The serde talks to the stand-in registry through a TCP
 * relay on a fixed loopback port; closing the relay makes that port refuse connections (what a
 * stopped registry looks like to a client) while the registry keeps its schemas, and reopening it
 * on the same port brings the registry back.
 */

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AvroPacket,
  AvroSerdeError,
  avroSerde,
  confluentSchemaRegistry,
  PACKET_AVRO_SCHEMA,
} from '../../../src/connectors/avro/index.js';
import { startStandInSchemaRegistry, type TestSchemaRegistry } from '../../helpers/schema-registry.js';
import { samplePacket } from '../../helpers/schema-registry-contract.js';

/** A TCP relay to `target` that can be closed (connections refused) and reopened on its port. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let registry: TestSchemaRegistry;
let relay: Relay;
let url: string;

beforeAll(async () => {
  registry = await startStandInSchemaRegistry();
  const target = new URL(registry.url);
  relay = new Relay({ host: target.hostname, port: Number(target.port) });
  await relay.open();
  url = `http://127.0.0.1:${relay.port}`;
});

afterAll(async () => {
  await relay?.close();
  await registry?.close();
});

/** A fresh client and serde (empty caches), as a restarted application would have. */
function freshSerde() {
  // One retry keeps the test quick; the failure is the same with the default three.
  const client = confluentSchemaRegistry({ url, retries: 1 });
  return avroSerde<AvroPacket>({ registry: client, schema: PACKET_AVRO_SCHEMA });
}

describe('Avro serde when the schema registry is down', () => {
  it('producing fails with an AvroSerdeError naming the registry URL, and works once it is back', async () => {
    const topic = 'down-produce';
    const serde = freshSerde();
    await relay.close();
    try {
      const error = await serde.serialize(samplePacket(), topic).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AvroSerdeError);
      const failure = error as AvroSerdeError;
      expect(failure.topic).toBe(topic);
      expect(failure.subject).toBe(`${topic}-value`);
      expect(failure.message).toContain(`at ${url}: registry unreachable (connect ECONNREFUSED`);
      expect(failure.message).not.toContain('status 400');
      expect(failure.message).toContain('check that the registry is reachable');
    } finally {
      await relay.open();
    }

    // The failure was not cached: the same serde registers and encodes now.
    const bytes = (await serde.serialize(samplePacket({ frameLength: 99 }), topic)) as Buffer;
    expect(bytes[0]).toBe(0);
    expect(await freshSerde().deserialize(bytes, topic)).toEqual(samplePacket({ frameLength: 99 }));
  });

  it('consuming a record whose schema is not cached fails naming the registry and schema id, and recovers', async () => {
    const topic = 'down-consume';
    const producer = freshSerde();
    const first = (await producer.serialize(samplePacket({ frameLength: 1 }), topic)) as Buffer;
    const id = first.readInt32BE(1);
    const consumer = freshSerde();

    await relay.close();
    let whileDown: Buffer;
    try {
      // A serde that already knows its schema id keeps producing without the registry.
      whileDown = (await producer.serialize(samplePacket({ frameLength: 2 }), topic)) as Buffer;
      const error = await consumer.deserialize(first, topic).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AvroSerdeError);
      const failure = error as AvroSerdeError;
      expect(failure.schemaId).toBe(id);
      expect(failure.topic).toBe(topic);
      expect(failure.message).toContain(`could not fetch schema id ${id}`);
      expect(failure.message).toContain(
        `from the registry at ${url}: registry unreachable (connect ECONNREFUSED`,
      );
      expect(failure.message).not.toContain('status 400');
    } finally {
      await relay.open();
    }

    // Back: the same consumer decodes both records, the one that failed included.
    expect(await consumer.deserialize(first, topic)).toEqual(samplePacket({ frameLength: 1 }));
    expect(await consumer.deserialize(whileDown, topic)).toEqual(samplePacket({ frameLength: 2 }));
  });
});
