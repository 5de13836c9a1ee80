/**
 * sendCompletely against a fake kafkajs send that, like kafkajs 2.2.4 after a leader moved mid-send,
 * answers for some partitions only: the unanswered partitions' messages are sent again, nothing is lost.
 */
import type { Message, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { sendCompletely } from '../../../src/connectors/kafka/complete-send.js';
import { partitionForKey } from '../../../src/runtime/embedded/partitioner.js';
import type { OutgoingMessage } from '../../../src/runtime/kafka/client-port.js';

/** A fake broker side: appends what it is sent to per-partition logs, but skips `drop` partitions once. */
function fakeBrokers(drop: Set<string>) {
  const logs = new Map<string, Message[]>();
  const rounds: string[][] = [];
  const round = async (topicMessages: { topic: string; messages: Message[] }[]) => {
    const answers: RecordMetadata[] = [];
    const sentTo: string[] = [];
    for (const { topic, messages } of topicMessages) {
      const byPartition = new Map<number, Message[]>();
      for (const m of messages) {
        if (m.partition === undefined) throw new Error('every message must have its partition');
        byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
      }
      for (const [partition, list] of byPartition) {
        const id = `${topic}:${partition}`;
        sentTo.push(id);
        if (drop.delete(id)) continue; // silently skipped, as kafkajs does
        const log = logs.get(id) ?? [];
        answers.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(log.length) });
        logs.set(id, [...log, ...list]);
      }
    }
    rounds.push(sentTo.sort());
    return answers;
  };
  return { logs, rounds, round };
}

const message = (topic: string, key: string | null, value: string): OutgoingMessage => ({
  topic,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
});

describe('sendCompletely', () => {
  it('sends the messages of partitions the answer left out again, and only those', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({
      ...message('t', `k${i}`, `v${i}`),
      partition: i % 4,
    }));
    const brokers = fakeBrokers(new Set(['t:1', 't:2']));
    const written = await sendCompletely(messages, async () => 4, brokers.round);

    expect(brokers.rounds).toEqual([
      ['t:0', 't:1', 't:2', 't:3'],
      ['t:1', 't:2'],
    ]);
    const stored = [...brokers.logs.values()].flat().map((m) => String(m.value));
    expect(stored.sort()).toEqual(messages.map((m) => String(m.value)).sort());
    // Next offsets per partition: what each partition's log now holds.
    expect(new Map(written.map((w) => [`${w.topic}:${w.partition}`, w.offset]))).toEqual(
      new Map([...brokers.logs].map(([id, log]) => [id, log.length])),
    );
  });

  it("places keyed messages as Kafka's default partitioner does and keeps given partitions", async () => {
    const brokers = fakeBrokers(new Set());
    const keyed = ['10.0.0.1', '10.0.0.2', 'host-7'].map((k) => message('flows', k, k));
    await sendCompletely(
      [...keyed, { ...message('flows', 'x', 'pinned'), partition: 5 }],
      async () => 6,
      brokers.round,
    );
    for (const k of ['10.0.0.1', '10.0.0.2', 'host-7']) {
      const p = partitionForKey(k, 6, () => 0);
      expect(brokers.logs.get(`flows:${p}`)?.map((m) => String(m.value))).toContain(k);
    }
    expect(brokers.logs.get('flows:5')?.map((m) => String(m.value))).toContain('pinned');
  });

  it('fails, naming the partitions, when a partition stays unanswered', async () => {
    const always = new Set<string>();
    const brokers = fakeBrokers(always);
    const round = async (tm: { topic: string; messages: Message[] }[]) => {
      always.add('t:0');
      return brokers.round(tm);
    };
    await expect(
      sendCompletely([{ ...message('t', null, 'a'), partition: 0 }], async () => 1, round),
    ).rejects.toThrow(/1 messages to t:0 were still not acknowledged after 5 sends/);
  });
});

/** An error shaped like the ones kafkajs throws. */
function kafkaError(name: string, cause?: Error): Error {
  const error = new Error(`${name} happened`, cause ? { cause } : undefined);
  error.name = name;
  return error;
}

describe('sendCompletely while brokers are away', () => {
  it('sends again after rounds that failed because the broker was away', async () => {
    const brokers = fakeBrokers(new Set());
    let failures = 2;
    const round = async (tm: { topic: string; messages: Message[] }[]) => {
      if (failures-- > 0)
        throw kafkaError('KafkaJSNonRetriableError', kafkaError('KafkaJSConnectionClosedError'));
      return brokers.round(tm);
    };
    const pauses: number[] = [];
    await sendCompletely([{ ...message('t', 'k', 'v'), partition: 0 }], async () => 1, round, {
      pause: async (ms) => void pauses.push(ms),
    });
    expect(pauses).toHaveLength(2);
    expect(brokers.logs.get('t:0')?.map((m) => String(m.value))).toEqual(['v']);
  });

  it('gives up after the outage limit, and at once on errors that are not about reachability', async () => {
    const away = async () => {
      throw kafkaError('KafkaJSConnectionError');
    };
    const one = [{ ...message('t', 'k', 'v'), partition: 0 }];
    await expect(
      sendCompletely(one, async () => 1, away, { outageLimitMs: 0, pause: async () => {} }),
    ).rejects.toThrow('KafkaJSConnectionError happened');
    let calls = 0;
    const tooLarge = async () => {
      calls++;
      throw kafkaError('KafkaJSProtocolError');
    };
    await expect(sendCompletely(one, async () => 1, tooLarge, { pause: async () => {} })).rejects.toThrow(
      'KafkaJSProtocolError happened',
    );
    expect(calls).toBe(1);
  });
});
