/**
 * Produces a steady stream of records in the background, the way a real feed keeps sending while a
 * broker goes away and comes back: a chunk that fails is sent again after a pause. A chunk whose
 * acknowledgement was lost may land twice, so tests take their reference from the topic as read back.
 */
import type { Kafka } from 'kafkajs';
import type { TestMessage } from './kafka-test-io.js';

/** A running producer. */
export interface SteadyProducer {
  /** Chunks acknowledged so far. */
  readonly sent: () => number;
  /** Sends that failed and were retried (the broker was away). */
  readonly failures: () => number;
  /** Stops after the chunk in flight; resolves once it is acknowledged. */
  stop(): Promise<void>;
}

/** Sends `chunk(n)` for n = 0, 1, 2... to `topic`, one every `intervalMs`, until stopped. */
export function startSteadyProducer(
  kafka: Kafka,
  topic: string,
  chunk: (n: number) => TestMessage[],
  intervalMs: number,
): SteadyProducer {
  // No retries inside kafkajs: this loop retries the whole chunk itself, forever, until the broker answers.
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  let stopping = false;
  let sent = 0;
  let failures = 0;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const loop = (async () => {
    await producer.connect();
    for (let n = 0; !stopping; n++) {
      const messages = chunk(n).map((m) => ({
        key: m.key,
        value: m.value,
        timestamp: String(m.timestamp),
      }));
      for (;;) {
        try {
          await producer.send({ topic, acks: -1, timeout: 5000, messages });
          sent++;
          break;
        } catch {
          failures++;
          await pause(500);
        }
      }
      await pause(intervalMs);
    }
    await producer.disconnect();
  })();
  return {
    sent: () => sent,
    failures: () => failures,
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}
