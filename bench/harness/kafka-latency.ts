/**
 * End-to-end latency of the Kafka side-by-side bench (bench/kafka.ts): records produced at a fixed rate
 * with event time = send time, and a consumer of the peer's output topic that takes, for every output
 * record, (time observed - the record's timestamp). Every peer stamps its outputs with the event time of
 * the input that caused them (Kafka Streams: the newest record of the window), so this is the delay from
 * the producer to a consumer of the result.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { benchEvents } from './kafka-bench-data.js';

/** Latency percentiles in ms, over `samples` output records. */
export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * From the last input sent to the last output seen, in ms: near zero when the system kept up with the
   * rate; seconds when it fell behind (then the percentiles measure its backlog, not its latency).
   */
  drainMs: number;
}

/**
 * Produces `ratePerSec` records a second for `seconds` (sends every few ms, whatever is due), each with
 * event time and Kafka timestamp = the moment it is built. Returns the records sent.
 */
export async function producePaced(
  producer: Producer,
  topic: string,
  ratePerSec: number,
  seconds: number,
): Promise<number> {
  const total = Math.round(ratePerSec * seconds);
  const start = Date.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) * ratePerSec) / 1000));
    if (due > sent) {
      const now = Date.now();
      const messages = [];
      for (const { key, value } of benchEvents(now, sent, due - sent)) {
        value.ts = now;
        messages.push({ key, value: JSON.stringify(value), timestamp: String(now) });
      }
      await producer.send({ topic, acks: -1, messages });
      sent = due;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return sent;
}

/** The output partition whose records are measured. */
const OBSERVED_PARTITION = 0;

/** Most latency samples kept; later ones are counted but not kept (bounded memory). */
const MAX_SAMPLES = 4_000_000;

/**
 * Consumes one partition of an output topic (the others are paused) and keeps the latency of every
 * record stamped at or after `measureFromMs`. One partition of six, because a kafkajs consumer of every
 * output (5 per input record at 5,000 inputs/s) would be the slowest part and measure itself; keys are
 * hashed over partitions, so one partition's outputs are a fair sample.
 */
export class LatencyRecorder {
  private readonly samples = new Float64Array(MAX_SAMPLES);
  private kept = 0;
  /** Output records seen on the observed partition, including warm-up ones. */
  seen = 0;
  /** Wall-clock ms of the last output record seen. */
  lastSeenAt = 0;
  private consumer: Consumer | undefined;
  /** Outputs with a timestamp before this are warm-up and not measured. */
  measureFromMs = Number.POSITIVE_INFINITY;
  /** Wall-clock ms when the last input was sent (set by the caller). */
  inputEndedAt = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly partitions: number,
  ) {}

  /** Joins and starts consuming from the beginning; resolves once the consumer is assigned. */
  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({
      groupId: `${this.topic}-latency-${Date.now()}`,
      maxWaitTimeInMs: 100,
    });
    const joined = new Promise<void>((resolve) =>
      this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => {
        if (batch.partition !== OBSERVED_PARTITION) return;
        const now = Date.now();
        for (const m of batch.messages) {
          const stamped = Number(m.timestamp);
          this.seen++;
          if (stamped >= this.measureFromMs && this.kept < MAX_SAMPLES)
            this.samples[this.kept++] = now - stamped;
        }
        this.lastSeenAt = now;
      },
    });
    await joined;
    const others = Array.from({ length: this.partitions }, (_, p) => p).filter(
      (p) => p !== OBSERVED_PARTITION,
    );
    this.consumer.pause([{ topic: this.topic, partitions: others }]);
  }

  /** Waits until no output arrived for `quietMs` (at most `timeoutMs`), then stops consuming. */
  async stopWhenQuiet(quietMs: number, timeoutMs: number): Promise<void> {
    const calledAt = Date.now();
    const deadline = calledAt + timeoutMs;
    while (Date.now() - Math.max(this.lastSeenAt, calledAt) < quietMs && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await this.consumer?.disconnect();
  }

  /** Percentiles of the measured samples (nearest rank); zeros when none were measured. */
  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.kept).sort();
    const at = (q: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    const drainMs = Math.max(0, this.lastSeenAt - this.inputEndedAt);
    return { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1), drainMs };
  }
}
