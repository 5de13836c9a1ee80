import type { Admin, Kafka, Message, RecordMetadata } from 'kafkajs';
import { murmur2 } from '../../runtime/embedded/partitioner.js';
import type { OutgoingMessage, PartitionOffset } from '../../runtime/kafka/client-port.js';

/** A message with the partition it goes to. */
type Placed = OutgoingMessage & { readonly partition: number };

/** Sends one round of messages, grouped by topic, and returns the brokers' answers. */
export type SendRound = (
  topicMessages: { topic: string; messages: Message[] }[],
) => Promise<RecordMetadata[]>;

/** How many answered rounds a send may take before messages still unanswered fail it. */
const MAX_ROUNDS = 5;

/** How long a send keeps trying while the brokers cannot be reached (ms): a broker restart fits in it. */
export const SEND_OUTAGE_LIMIT_MS = 60_000;

/** Errors a send outlives: the broker or a partition leader is away for now (kafkajs marks them retriable). */
const AWAY_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSMetadataNotLoaded',
]);

/** True when `error` or one it wraps says a broker or partition leader is away, not that the send is wrong. */
export function isBrokerAway(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; depth++) {
    if (AWAY_ERRORS.has(e.name)) return true;
    if (e.name === 'KafkaJSProtocolError' && (e as { retriable?: boolean }).retriable === true) return true;
    e = e.cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Runs `request` again (every second, for up to `limitMs`) while it fails because a broker is away. */
async function whileBrokersAway<T>(
  request: () => Promise<T>,
  limitMs: number,
  pause: (ms: number) => Promise<void>,
): Promise<T> {
  const since = Date.now();
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!isBrokerAway(error) || Date.now() - since >= limitMs) throw error;
      await pause(1000);
    }
  }
}

/** Options of sendCompletely (tests shorten the waits). */
export interface SendOptions {
  /** How long to keep trying while brokers are away. Default SEND_OUTAGE_LIMIT_MS. */
  readonly outageLimitMs?: number;
  readonly pause?: (ms: number) => Promise<void>;
}

/**
 * Sends every message and returns the next offset of each partition written.
 *
 * kafkajs 2.2.4 can report success without having written everything: when a broker fails during a
 * send and a partition's leadership moves to a broker that already answered, its retry skips that
 * broker (sendMessages keeps the answered brokers' responses), so the moved partition's messages are
 * dropped without an error. Every message is therefore given its partition first (Kafka's default
 * partitioner, as kafkajs would choose: murmur2 of the key bytes, round-robin for null keys), and
 * the messages of any partition the answers do not list are sent again.
 *
 * A round that fails because a broker is away (kafkajs gave up its own retries) is tried again, for up
 * to `outageLimitMs` in all; after that, or for any other error, the send fails. A failed round may
 * have been written in part, so its retry can write some messages twice (at-least-once).
 */
export async function sendCompletely(
  messages: readonly OutgoingMessage[],
  partitionCount: (topic: string) => Promise<number>,
  round: SendRound,
  options: SendOptions = {},
): Promise<PartitionOffset[]> {
  const limit = options.outageLimitMs ?? SEND_OUTAGE_LIMIT_MS;
  const pause = options.pause ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Placing asks for partition counts (metadata): that request can meet the dead broker too.
  let pending = await whileBrokersAway(() => place(messages, partitionCount), limit, pause);
  const next = new Map<string, PartitionOffset>();
  let awaySince: number | undefined;
  for (let attempt = 1; pending.length > 0; attempt++) {
    let answers: RecordMetadata[];
    try {
      answers = await round(byTopic(pending));
      awaySince = undefined;
    } catch (error) {
      awaySince ??= Date.now();
      if (!isBrokerAway(error) || Date.now() - awaySince >= limit) throw error;
      attempt--; // a round without answers does not count against MAX_ROUNDS
      await pause(1000);
      continue;
    }
    const counts = new Map<string, number>();
    for (const m of pending)
      counts.set(`${m.topic}:${m.partition}`, (counts.get(`${m.topic}:${m.partition}`) ?? 0) + 1);
    for (const a of answers) {
      const id = `${a.topicName}:${a.partition}`;
      const base = Number(a.baseOffset);
      const count = counts.get(id);
      if (count !== undefined && base >= 0)
        next.set(id, { topic: a.topicName, partition: a.partition, offset: base + count });
    }
    const answered = new Set(answers.map((a) => `${a.topicName}:${a.partition}`));
    pending = pending.filter((m) => !answered.has(`${m.topic}:${m.partition}`));
    if (pending.length > 0 && attempt >= MAX_ROUNDS) {
      const partitions = [...new Set(pending.map((m) => `${m.topic}:${m.partition}`))].join(', ');
      throw new Error(
        `${pending.length} messages to ${partitions} were still not acknowledged after ${MAX_ROUNDS} sends ` +
          '(their partition leaders kept moving). Check the brokers and their partition leadership.',
      );
    }
  }
  return [...next.values()];
}

let roundRobin = 0;

async function place(
  messages: readonly OutgoingMessage[],
  partitionCount: (topic: string) => Promise<number>,
): Promise<Placed[]> {
  const counts = new Map<string, number>();
  for (const m of messages)
    if (m.partition === undefined && !counts.has(m.topic)) counts.set(m.topic, await partitionCount(m.topic));
  return messages.map((m) => {
    if (m.partition !== undefined) return m as Placed;
    const n = counts.get(m.topic)!;
    const partition = m.key === null ? roundRobin++ % n : (murmur2(m.key) & 0x7fffffff) % n;
    return { ...m, partition };
  });
}

/** Messages grouped by topic, as kafkajs' sendBatch takes them. */
export function byTopic(messages: readonly OutgoingMessage[]): { topic: string; messages: Message[] }[] {
  const grouped = new Map<string, Message[]>();
  for (const m of messages) {
    const list = grouped.get(m.topic) ?? [];
    grouped.set(m.topic, list);
    const out: Message = { key: m.key, value: m.value };
    if (m.partition !== undefined) out.partition = m.partition;
    if (m.timestamp !== undefined) out.timestamp = String(m.timestamp);
    if (m.headers) out.headers = m.headers;
    list.push(out);
  }
  return [...grouped].map(([topic, list]) => ({ topic, messages: list }));
}

/** Partition counts of topics, asked once per topic of an admin client connected on first use. */
export class PartitionCounts {
  private admin: Promise<Admin> | undefined;
  private readonly counts = new Map<string, Promise<number>>();

  constructor(private readonly kafka: Kafka) {}

  /** The number of partitions of `topic`. */
  of(topic: string): Promise<number> {
    let count = this.counts.get(topic);
    if (!count) {
      count = this.fetch(topic);
      this.counts.set(topic, count);
      count.catch(() => this.counts.delete(topic)); // ask again next time
    }
    return count;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await (await admin).disconnect().catch(() => {});
  }

  private async fetch(topic: string): Promise<number> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined; // connect again next time
      throw error;
    });
    const [meta] = (await (await this.admin).fetchTopicMetadata({ topics: [topic] })).topics;
    if (!meta || meta.partitions.length === 0) throw new Error(`Kafka has no partitions for topic ${topic}`);
    return meta.partitions.length;
  }
}
