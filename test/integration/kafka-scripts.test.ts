/**
 * The broker scripts themselves (scripts/kafka), against real JVMs: a 3-node KRaft cluster that survives a
 * crashed node and takes it back, idempotent start/stop, and the errors a user meets when something is
 * missing or wrong. Every test uses its own run folder under the OS temp dir, never the suite's broker.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  isNodeAlive,
  readState,
  startKafka,
  startNode,
  stopKafka,
  stopNode,
} from '../../scripts/kafka/broker.js';
import { uniqueName } from '../helpers/kafka.js';

const dirs: string[] = [];

/** A fresh run folder under the OS temp dir, stopped and removed after the file. */
function runFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-kafka-scripts-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) {
    await stopKafka({ dir, log: () => {} });
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Small, fast-starting JVMs: these clusters only carry a few hundred records. */
const testJvm = { heapMb: 256, quickStart: true } as const;

function client(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'kafka-scripts-test',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 1000 },
  });
}

async function brokerIds(kafka: Kafka): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort();
  } finally {
    await admin.disconnect();
  }
}

async function partitionZero(kafka: Kafka, topic: string): Promise<{ leader: number; isr: number[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const p = meta.topics[0]?.partitions.find((x) => x.partitionId === 0);
    if (!p) throw new Error(`no partition 0 in ${topic}`);
    return { leader: p.leader, isr: [...p.isr].sort() };
  } finally {
    await admin.disconnect();
  }
}

/** Partition 0 once it has a leader and `inSync` replicas in sync (metadata reaches nodes one by one). */
async function settledPartitionZero(
  kafka: Kafka,
  topic: string,
  inSync: number,
): Promise<{ leader: number; isr: number[] }> {
  let seen = 'no metadata yet';
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const p = await partitionZero(kafka, topic);
      if (p.leader >= 0 && p.isr.length >= inSync) return p;
      seen = `leader ${p.leader}, in sync ${p.isr.join(',')}`;
    } catch (error) {
      seen = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`partition 0 of ${topic} did not settle in 20 s (${seen})`);
}

async function produce(kafka: Kafka, topic: string, from: number, to: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const messages = [];
    for (let i = from; i < to; i++) messages.push({ key: `k${i % 7}`, value: String(i) });
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Reads `topic` from the beginning with a new group until `count` records arrived; returns their values. */
async function consumeValues(kafka: Kafka, topic: string, count: number): Promise<number[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('scripts-reader') });
  const values: number[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${values.length}/${count} from ${topic}`)),
        45_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(Number(message.value?.toString()));
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scripts/kafka against real brokers', () => {
  it('runs a 3-node cluster that keeps serving with a crashed node and takes it back; start/stop are idempotent', async () => {
    const dir = runFolder();
    const lines: string[] = [];
    const started = await startKafka({
      dir,
      nodes: 3,
      ...testJvm,
      // Notice a dead node within seconds (defaults: 9 s session), so leadership moves quickly.
      extraProperties: { 'broker.session.timeout.ms': 4000, 'broker.heartbeat.interval.ms': 1000 },
      log: (l) => lines.push(l),
    });
    expect(started.alreadyRunning).toBe(false);
    expect(lines.some((l) => /^Kafka \(3 nodes\) ready at .+ in \d+\.\d s$/.test(l))).toBe(true);
    expect(readFileSync(join(dir, 'bootstrap'), 'utf8').trim()).toBe(started.bootstrap);

    // Starting again in the same folder reports the running cluster instead of starting another.
    const again = await startKafka({ dir, nodes: 3, ...testJvm, log: (l) => lines.push(l) });
    expect(again.alreadyRunning).toBe(true);
    expect(again.bootstrap).toBe(started.bootstrap);
    expect(again.nodes.map((n) => n.pid)).toEqual(started.nodes.map((n) => n.pid));
    expect(lines.at(-1)).toBe(`Kafka is already running at ${started.bootstrap} (${dir})`);
    expect(started.bootstrap.split(',')).toHaveLength(3);
    for (const address of started.bootstrap.split(',')) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);

    const kafka = client(started.bootstrap);
    expect(await brokerIds(kafka)).toEqual([1, 2, 3]);

    const topic = uniqueName('rf3');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 3,
          configEntries: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
      // kafkajs' own wait gives up on "This server does not host this topic-partition" (metadata
      // not on every node yet): wait for the leader and full ISR below instead.
      waitForLeaders: false,
    });
    const settled = await settledPartitionZero(kafka, topic, 3);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
    });
    await admin.disconnect();
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    const before = settled;
    expect(before.isr).toEqual([1, 2, 3]);

    await produce(kafka, topic, 0, 100);
    expect((await consumeValues(kafka, topic, 100)).sort((a, b) => a - b)).toEqual(range(0, 100));

    // Crash the partition's leader for real: SIGKILL, no clean shutdown.
    const victim = started.nodes.find((n) => n.nodeId === before.leader)!;
    process.kill(victim.pid, 'SIGKILL');
    await waitFor(`node ${victim.nodeId} to die`, () => !isAlive(victim.pid));

    // acks=-1 with min ISR 2 succeeds on the two survivors, under a new leader.
    await produce(kafka, topic, 100, 200);
    const after = await partitionZero(kafka, topic);
    expect(after.leader).not.toBe(victim.nodeId);
    expect(after.isr).not.toContain(victim.nodeId);
    expect(after.isr).toHaveLength(2);
    expect((await consumeValues(kafka, topic, 200)).sort((a, b) => a - b)).toEqual(range(0, 200));
    expect(await brokerIds(kafka)).toHaveLength(2);

    // Bring the crashed node back from its own data: the cluster has three brokers again.
    const back = await startNode({ dir, nodeId: victim.nodeId, log: (l) => lines.push(l) });
    expect(back.pid).not.toBe(victim.pid);
    expect(isNodeAlive(back)).toBe(true);
    expect(readState(dir)?.nodes.find((n) => n.nodeId === victim.nodeId)?.pid).toBe(back.pid);
    expect(await brokerIds(kafka)).toEqual([1, 2, 3]);

    // A clean single-node stop; stopping it again is a no-op.
    const other = started.nodes.find((n) => n.nodeId !== victim.nodeId)!;
    expect(await stopNode({ dir, nodeId: other.nodeId, log: () => {} })).toBe(true);
    expect(isAlive(other.pid)).toBe(false);
    expect(await stopNode({ dir, nodeId: other.nodeId, log: () => {} })).toBe(false);

    // Stop stops every node that still runs, and waits until their pids are gone; a second stop is a no-op.
    const pids = readState(dir)!.nodes.map((n) => n.pid);
    expect(await stopKafka({ dir, log: () => {} })).toBe(true);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(readState(dir)).toBeUndefined();
    const stopLines: string[] = [];
    expect(await stopKafka({ dir, log: (l) => stopLines.push(l) })).toBe(false);
    expect(stopLines).toEqual([`Kafka is not running (${dir})`]);
  }, 240_000);

  it('refuses a port that is already taken, naming it', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dir = runFolder();
    try {
      await expect(startKafka({ dir, port, log: () => {} })).rejects.toThrow(
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already taken`),
      );
      expect(readState(dir)).toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says Java was not found when JAVA_HOME points at a folder without java', async () => {
    const emptyJavaHome = runFolder();
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = emptyJavaHome;
    try {
      const start = startKafka({ dir: runFolder(), log: () => {} });
      await expect(start).rejects.toThrow(/Java was not found/);
      await expect(start).rejects.toThrow(emptyJavaHome);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });

  it('says Maven was not found when the jars are not cached and MVN cannot run', async () => {
    const emptyCache = runFolder();
    const saved = { MVN: process.env.MVN, TRIBUTARY_KAFKA_CACHE: process.env.TRIBUTARY_KAFKA_CACHE };
    process.env.MVN = '/nonexistent/mvn';
    process.env.TRIBUTARY_KAFKA_CACHE = emptyCache;
    try {
      const start = startKafka({ dir: runFolder(), log: () => {} });
      await expect(start).rejects.toThrow(/Maven was not found/);
      await expect(start).rejects.toThrow('/nonexistent/mvn');
      // Nothing half-fetched is left that a later run could mistake for a cache.
      expect(readdirSync(emptyCache)).toEqual([]);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('rejects a broker that does not come up, quoting the end of its log', async () => {
    const dir = runFolder();
    const error: Error = await startKafka({
      dir,
      ...testJvm,
      extraProperties: { 'authorizer.class.name': 'org.example.NoSuchAuthorizer' },
      log: () => {},
    }).then(
      () => {
        throw new Error('the broker started despite a missing authorizer class');
      },
      (e: Error) => e,
    );
    // The message first: when the start failed for another reason, the test shows why.
    expect(error.message).toMatch(/Kafka node 1 \(pid \d+\) exited while starting/);
    const logFile = join(dir, 'node-1', 'broker.log');
    const logLines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    expect(error.message).toContain(`--- end of ${logFile} ---`);
    expect(error.message).toContain(logLines.at(-1));
    expect(error.message).toContain('ClassNotFoundException: org.example.NoSuchAuthorizer');
    const pid = Number(/pid (\d+)/.exec(error.message)?.[1]);
    expect(isAlive(pid)).toBe(false);
    expect(readState(dir)).toBeUndefined();
  }, 60_000);

  it('refuses broker properties that would corrupt server.properties', async () => {
    await expect(
      startKafka({ dir: runFolder(), extraProperties: { 'log.dirs': '/tmp/a\nnode.id=9' }, log: () => {} }),
    ).rejects.toThrow(/cannot be written to server\.properties/);
  });
});
