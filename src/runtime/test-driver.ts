import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateStore } from '../state/store.js';
import { defaultStoreFactory } from './default-store-factory.js';
import type { ErrorPolicies } from './error-policy.js';
import { TributaryError } from './errors.js';
import type { RecordHeaders, StreamRecord } from './record.js';
import { type StoreFactory, Task } from './task/task.js';
import { deadLetterTopicName } from './topic-names.js';
import type { Topology } from './topology/topology.js';
import { upstreamFirst } from './topology/upstream-first.js';

/** Options of {@link TopologyTestDriver.create}. */
export interface TestDriverOptions {
  applicationId?: string;
  /** Folder for persistent stores; default a fresh folder under the OS temp dir. */
  stateDir?: string;
  /** Starting wall-clock time in ms (default 0). */
  wallClockStart?: number;
  errors?: ErrorPolicies;
  storeFactory?: StoreFactory;
}

/** Pipes records into one input topic. */
export class TestInputTopic<K, V> {
  constructor(
    private readonly driver: TopologyTestDriver,
    readonly topic: string,
  ) {}

  /** Pipes one record; the timestamp defaults to the driver's wall-clock time. */
  pipeInput(key: K, value: V, timestamp?: number, headers?: RecordHeaders): void {
    this.driver.pipe(this.topic, { key, value, timestamp: timestamp ?? this.driver.wallClockTime, headers });
  }

  /** Pipes several records in order. */
  pipeRecords(records: Iterable<{ key: K; value: V; timestamp?: number; headers?: RecordHeaders }>): void {
    for (const r of records) this.pipeInput(r.key, r.value, r.timestamp, r.headers);
  }
}

/** Reads what the topology wrote to one topic (or sink connector), oldest first. */
export class TestOutputTopic<K, V> {
  constructor(private readonly queue: StreamRecord<unknown, unknown>[]) {}

  readRecord(): StreamRecord<K, V> {
    const record = this.queue.shift();
    if (!record) throw new TributaryError('The output topic is empty.');
    return record as StreamRecord<K, V>;
  }

  readRecords(): StreamRecord<K, V>[] {
    return this.queue.splice(0, this.queue.length) as StreamRecord<K, V>[];
  }

  readKeyValues(): Array<{ key: K; value: V }> {
    return this.readRecords().map((r) => ({ key: r.key, value: r.value }));
  }

  readValues(): V[] {
    return this.readRecords().map((r) => r.value);
  }

  isEmpty(): boolean {
    return this.queue.length === 0;
  }

  size(): number {
    return this.queue.length;
  }
}

/**
 * Runs a topology synchronously in-process, in the spirit of Kafka Streams' TopologyTestDriver:
 * pipe records with timestamps, advance wall-clock time, read output topics and state stores.
 * Every topic has one partition; records a sub-topology writes to a topic another reads
 * (repartition topics included) are processed before `pipeInput` returns. Records sent to sink
 * connectors are captured by connector name instead of being written to the connector.
 */
export class TopologyTestDriver {
  private clock: number;
  private readonly outputs = new Map<string, StreamRecord<unknown, unknown>[]>();
  private readonly offsets = new Map<string, number>();
  private readonly readers = new Map<string, Task>();

  private constructor(
    private readonly topology: Topology,
    private readonly tasks: Task[],
    private readonly applicationId: string,
    private readonly deadLetterTopic: string,
    wallClockStart: number,
    private readonly clockRef: { now: number },
  ) {
    this.clock = wallClockStart;
    for (const task of tasks) for (const topic of task.inputTopics) this.readers.set(topic, task);
  }

  /** Validates the topology and starts one task per sub-topology. */
  static async create(topology: Topology, options: TestDriverOptions = {}): Promise<TopologyTestDriver> {
    if (!topology.isSealed) topology.validate();
    const applicationId = options.applicationId ?? 'test-driver';
    const stateDir = options.stateDir ?? join(tmpdir(), `tributary-driver-${process.pid}-${Date.now()}`);
    const clockRef = { now: options.wallClockStart ?? 0 };
    const errors = options.errors ?? {};
    const deadLetterTopic = deadLetterTopicName(applicationId, errors.deadLetterTopic);
    const tasks: Task[] = [];
    for (const subtopology of topology.subtopologies()) {
      tasks.push(
        await Task.create({
          applicationId,
          topology,
          subtopology,
          partition: 0,
          stateDir,
          storeFactory: options.storeFactory ?? defaultStoreFactory,
          clock: () => clockRef.now,
          errors,
          deadLetterTopic,
        }),
      );
    }
    return new TopologyTestDriver(topology, tasks, applicationId, deadLetterTopic, clockRef.now, clockRef);
  }

  get wallClockTime(): number {
    return this.clock;
  }

  createInputTopic<K, V>(topic: string): TestInputTopic<K, V> {
    if (!this.readers.has(topic)) {
      throw new TributaryError(
        `No source reads topic "${topic}" (sources read: ${[...this.readers.keys()].join(', ')}).`,
      );
    }
    return new TestInputTopic<K, V>(this, topic);
  }

  /** Output of a topic, or of a sink connector by its name, or dead letters by the dead-letter topic. */
  createOutputTopic<K, V>(topicOrConnector: string): TestOutputTopic<K, V> {
    return new TestOutputTopic<K, V>(this.queue(topicOrConnector));
  }

  /** Advances wall-clock time and fires the wall-clock punctuators that became due. */
  advanceWallClockTime(ms: number): void {
    this.clock += ms;
    this.clockRef.now = this.clock;
    for (const task of this.tasks) {
      task.punctuateWallClock(this.clock);
      this.route(task);
    }
  }

  getStateStore<S extends StateStore>(name: string): S {
    for (const task of this.tasks) {
      const store = task.allStores().get(name);
      if (store) return store as S;
    }
    throw new TributaryError(`No state store named "${name}".`);
  }

  /** Counters of every task summed by name (e.g. "<node>.late-records"). */
  metrics(): Map<string, number> {
    const sum = new Map<string, number>();
    for (const task of this.tasks) for (const [k, v] of task.counters) sum.set(k, (sum.get(k) ?? 0) + v);
    return sum;
  }

  /** The dead-letter topic's name for this driver. */
  get deadLetters(): string {
    return this.deadLetterTopic;
  }

  get appId(): string {
    return this.applicationId;
  }

  /** Flushes and closes every task and store. */
  async close(): Promise<void> {
    for (const task of this.tasks) {
      await task.flushStores();
      await task.close();
    }
  }

  /**
   * Declares the input ended, as `StreamsApp.endOfInput()` does: every processor's `endOfInput`
   * runs (parents first), so emit-final windows still open and unmatched left-join records are
   * emitted; sub-topologies reading another's output follow it.
   */
  endOfInput(): void {
    const bySubtopology = new Map(this.tasks.map((task) => [task.subtopology.id, task]));
    for (const part of upstreamFirst(this.tasks.map((task) => task.subtopology))) {
      const task = bySubtopology.get(part.id)!;
      task.endOfInput();
      this.route(task);
    }
  }

  /** @internal used by TestInputTopic. */
  pipe(
    topic: string,
    record: { key: unknown; value: unknown; timestamp: number; headers?: RecordHeaders | undefined },
  ): void {
    const task = this.readers.get(topic);
    if (!task) throw new TributaryError(`No source reads topic "${topic}".`);
    const offset = this.offsets.get(topic) ?? 0;
    this.offsets.set(topic, offset + 1);
    task.process(topic, { ...record, origin: { topic, partition: 0, offset } });
    this.route(task);
  }

  private route(from: Task): void {
    const pending: Task[] = [from];
    while (pending.length > 0) {
      const task = pending.shift()!;
      const { sinks, deadLetters } = task.drainOutputs();
      if (deadLetters.length > 0) this.queue(this.deadLetterTopic).push(...deadLetters);
      for (const { sink, records } of sinks) {
        const target = sink.topic ?? sink.connector?.name ?? sink.name;
        const reader = sink.topic !== undefined ? this.readers.get(sink.topic) : undefined;
        if (!reader || !this.topology.isInternalTopic(target)) this.queue(target).push(...records);
        if (reader) {
          for (const record of records) {
            const offset = this.offsets.get(target) ?? 0;
            this.offsets.set(target, offset + 1);
            reader.process(target, { ...record, origin: { topic: target, partition: 0, offset } });
          }
          pending.push(reader);
        }
      }
    }
  }

  private queue(name: string): StreamRecord<unknown, unknown>[] {
    let q = this.outputs.get(name);
    if (!q) {
      q = [];
      this.outputs.set(name, q);
    }
    return q;
  }
}
