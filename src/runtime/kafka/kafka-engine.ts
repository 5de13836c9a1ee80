import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ChangeloggingStore, isChangeloggingStore } from '../../state/changelogging-store.js';
import { wrapWithChangelog } from '../../state/changelogging-wrap.js';
import type { StateStore, StoreContext, StoreSpec } from '../../state/store.js';
import { storeDirectory } from '../../state/store-directory.js';
import type { AppStateMachine } from '../app/app-state.js';
import { defaultStoreFactory } from '../default-store-factory.js';
import { DEAD_LETTER_HEADERS, type ErrorPolicies } from '../error-policy.js';
import { TributaryError } from '../errors.js';
import type { StreamRecord } from '../record.js';
import { deadLetterHeaders, type StoreFactory, Task } from '../task/task.js';
import { deadLetterTopicName, resolveTopic } from '../topic-names.js';
import type { Subtopology } from '../topology/subtopologies.js';
import type { Topology } from '../topology/topology.js';
import type {
  AdminPort,
  ConsumerPort,
  FetchedBatch,
  KafkaClientPort,
  OutgoingMessage,
  PartitionOffset,
  ProducerPort,
  TopicPartitions,
} from './client-port.js';
import { DeserializationError } from './deserialization-error.js';
import { KafkaMetrics } from './kafka-metrics.js';
import type { KafkaOptions } from './kafka-options.js';
import { KafkaOutputWriter } from './kafka-output-writer.js';
import { KafkaSourcePump } from './kafka-source-pump.js';
import {
  type DecodeFailure,
  decodeBatch,
  defaultTopicSerdes,
  internalSerde,
  type TopicSerdes,
} from './record-codec.js';
import { planTopics } from './topic-plan.js';

/** The StreamsApp options the Kafka engine reads. */
export interface KafkaEngineOptions {
  readonly applicationId: string;
  readonly kafka: KafkaOptions;
  readonly stateDir?: string | undefined;
  readonly partitions?: number | undefined;
  readonly errors?: ErrorPolicies | undefined;
  readonly commitIntervalMs?: number | undefined;
  readonly clock?: (() => number) | undefined;
  readonly storeFactory?: StoreFactory | undefined;
}

/** Where records of a real topic go: the sub-topology reading it, under the topology's name. */
interface Route {
  readonly subtopology: Subtopology;
  readonly logicalTopic: string;
  readonly serdes: TopicSerdes;
}

/** A task and the next offsets to commit for its input partitions ("topic:partition"). */
interface TaskSlot {
  readonly id: string;
  readonly ready: Promise<Task>;
  task: Task | undefined;
  readonly positions: Map<string, PartitionOffset>;
}

/**
 * Runs a topology on Kafka: one consumer in the group `applicationId`, one task per sub-topology
 * and input partition (created and closed as the group assigns and revokes partitions), outputs
 * produced per batch and input offsets committed after them (at-least-once).
 *
 * Backpressure: a batch's outputs are awaited before the batch handler returns, and the client
 * fetches no more for a partition until then.
 */
export class KafkaEngine {
  private readonly clock: () => number;
  private readonly routes = new Map<string, Route>();
  private readonly slots = new Map<string, TaskSlot>();
  private readonly partitionCounts = new Map<string, number>();
  private readonly deadLetterTopic: string;
  private readonly errors: ErrorPolicies;
  private readonly counters = new Map<string, number>();
  private client!: KafkaClientPort;
  private admin!: AdminPort;
  private consumer!: ConsumerPort;
  private producer!: ProducerPort;
  private writer!: KafkaOutputWriter;
  private lock: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastCommit = 0;
  private stopping = false;
  private assignment: TopicPartitions = new Map();
  private memberId: string | undefined;
  private readonly pumps: KafkaSourcePump[] = [];
  private readonly abort = new AbortController();
  /** Prometheus metrics (StreamsApp.metricsRegistry). */
  readonly prometheus: KafkaMetrics;

  constructor(
    private readonly topology: Topology,
    private readonly options: KafkaEngineOptions,
    private readonly machine: AppStateMachine,
    private readonly fail: (error: Error) => void,
  ) {
    this.clock = options.clock ?? Date.now;
    this.errors = options.errors ?? {};
    this.deadLetterTopic = deadLetterTopicName(options.applicationId, this.errors.deadLetterTopic);
    this.prometheus = new KafkaMetrics(options.applicationId, options.kafka.metricsRegistry);
  }

  private resolve(topic: string): string {
    return resolveTopic(this.topology, this.options.applicationId, topic);
  }

  /** Serdes of a topic: the declared ones, else msgpack for internal topics and the defaults for others. */
  private serdesOf(
    key: TopicSerdes['key'] | undefined,
    value: TopicSerdes['value'] | undefined,
    logicalTopic: string,
  ): TopicSerdes {
    const internal = this.topology.isInternalTopic(logicalTopic);
    return {
      key: key ?? (internal ? internalSerde : (this.options.kafka.defaultKeySerde ?? defaultTopicSerdes.key)),
      value:
        value ??
        (internal ? internalSerde : (this.options.kafka.defaultValueSerde ?? defaultTopicSerdes.value)),
    };
  }

  /** Creates the declared topics, connects, joins the group and starts consuming. */
  async start(): Promise<void> {
    const { kafka, applicationId } = this.options;
    if (kafka.guarantee === 'exactly-once') {
      throw new TributaryError(
        "kafka.guarantee 'exactly-once' is not implemented yet; use 'at-least-once' (the default).",
      );
    }
    this.client = kafka.client ?? (await defaultClient(kafka));
    this.admin = this.client.admin();
    await this.admin.connect();
    await this.createTopics();
    for (const sub of this.topology.subtopologies()) {
      for (const source of sub.sources) {
        this.routes.set(this.resolve(source.topic), {
          subtopology: sub,
          logicalTopic: source.topic,
          serdes: this.serdesOf(source.keySerde, source.valueSerde, source.topic),
        });
      }
    }
    this.writer = new KafkaOutputWriter(
      {
        topicOf: (t) => this.resolve(t),
        serdesOf: (k, v, t) => this.serdesOf(k, v, t),
        partitionCount: (t) => this.partitionCounts.get(t) ?? 1,
      },
      this.errors,
      this.deadLetterTopic,
    );
    this.producer = this.client.producer();
    await this.producer.connect();
    this.consumer = this.client.consumer({
      groupId: applicationId,
      coPartitionGroupOf: (topic) => String(this.routes.get(topic)?.subtopology.id ?? topic),
      sessionTimeoutMs: kafka.sessionTimeoutMs,
    });
    await this.consumer.connect();
    await this.consumer.subscribe([...this.routes.keys()]);
    this.lastCommit = this.clock();
    await this.consumer.run({
      eachBatch: (batch, heartbeat) => this.onBatch(batch, heartbeat),
      onAssignment: (assignment, memberId) => this.onAssignment(assignment, memberId),
      onRebalance: () => {
        if (this.machine.state === 'RUNNING') this.machine.transition('REBALANCING');
      },
    });
    for (const node of this.topology.nodes()) {
      if (node.kind !== 'source' || !node.connector) continue;
      const topic = this.resolve(node.topic);
      this.pumps.push(
        new KafkaSourcePump(
          node.connector,
          topic,
          this.serdesOf(node.keySerde, node.valueSerde, node.topic),
          (messages) => this.send(messages),
          this.abort.signal,
          (error) => this.failAndStop(error),
        ),
      );
    }
    const interval = this.options.commitIntervalMs ?? 1000;
    this.timer = setInterval(() => this.onTick(), Math.min(interval, 1000));
    this.timer.unref();
  }

  /** Stops consuming, writes outputs, flushes stores, commits offsets and closes everything. */
  async close(commit: boolean): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    for (const pump of this.pumps) await pump.connector.close().catch(() => {});
    await Promise.all(this.pumps.map((p) => p.done));
    if (!this.consumer) return;
    await this.serial(async () => {
      if (commit) await this.commit();
    }).catch((e) => this.fail(e as Error));
    await this.consumer.disconnect().catch(() => {});
    for (const node of this.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.close) await node.connector.close().catch(() => {});
    }
    for (const slot of this.slots.values()) {
      const task = await slot.ready.catch(() => undefined);
      if (task) await this.closeTask(task);
    }
    this.slots.clear();
    await this.producer.disconnect().catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }

  /** Counters of all tasks and sinks, summed by name. */
  metrics(): Map<string, number> {
    const sum = new Map<string, number>();
    const add = (k: string, v: number) => sum.set(k, (sum.get(k) ?? 0) + v);
    for (const slot of this.slots.values()) for (const [k, v] of slot.task?.counters ?? []) add(k, v);
    for (const [k, v] of this.writer?.counters ?? []) add(k, v);
    for (const [k, v] of this.counters) add(k, v);
    for (const pump of this.pumps) add(`source.${pump.connector.name}.records`, pump.recordsIn);
    return sum;
  }

  /** A store of this instance's task for `partition`. */
  store(name: string, partition: number): StateStore | undefined {
    for (const slot of this.slots.values()) {
      if (slot.task?.partition !== partition) continue;
      const store = slot.task.allStores().get(name);
      if (store) return store;
    }
    return undefined;
  }

  /**
   * Resolves once source connectors have ended and this instance has an assignment and has
   * processed and committed everything in its assigned partitions (checked twice, so records that went through a repartition topic count).
   */
  async whenCaughtUp(isFailed: () => Error | undefined): Promise<void> {
    let quietChecks = 0;
    for (;;) {
      const failure = isFailed();
      if (failure) throw failure;
      if (this.machine.state === 'NOT_RUNNING' || this.machine.state === 'PENDING_SHUTDOWN') return;
      const sourcesDone = this.pumps.every((p) => p.isDone);
      if (
        this.machine.state === 'RUNNING' &&
        this.assignment.size > 0 &&
        sourcesDone &&
        (await this.lag()) === 0
      ) {
        if (++quietChecks >= 2) return;
      } else quietChecks = 0;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Records in assigned partitions not yet processed and committed. */
  private async lag(): Promise<number> {
    let lag = 0;
    for (const [topic, partitions] of this.assignment) {
      const [ends, committed] = await Promise.all([
        this.admin.endOffsets(topic),
        this.admin.committedOffsets(this.options.applicationId, topic),
      ]);
      for (const p of partitions) lag += Math.max(0, (ends.get(p) ?? 0) - (committed.get(p) ?? 0));
    }
    for (const slot of this.slots.values()) lag += slot.task?.pendingOutputCount() ?? 0;
    return lag;
  }

  /** Creates the topics the topology declares (see planTopics), then learns every partition count. */
  private async createTopics(): Promise<void> {
    const sources = this.topology.nodes().flatMap((n) => (n.kind === 'source' ? [n] : []));
    const external = sources.filter((s) => !this.topology.isInternalTopic(s.topic)).map((s) => s.topic);
    const known = await this.admin.partitionCounts(external);
    const topics = planTopics(this.topology, known, {
      kafka: this.options.kafka,
      partitions: this.options.partitions,
      resolve: (t) => this.resolve(t),
      deadLetterTopic: this.deadLetterTopic,
      changelogTopic: (store) => this.changelogTopic(store),
    });
    await this.admin.createTopics(topics);
    const all = [...new Set([...external, ...topics.map((t) => t.topic)])];
    for (const [topic, count] of await this.admin.partitionCounts(all))
      this.partitionCounts.set(topic, count);
  }

  /** "<applicationId>-<store>-changelog". */
  private changelogTopic(store: string): string {
    return `${this.options.applicationId}-${store}-changelog`;
  }

  /** Builds a task's store; unless the spec opts out, wraps it for its changelog and restores it first. */
  private async makeStore(spec: StoreSpec, context: StoreContext, partition: number): Promise<StateStore> {
    const inner = await (this.options.storeFactory ?? defaultStoreFactory)(spec, context);
    if (spec.changelog === false) return inner;
    const topic = this.changelogTopic(spec.name);
    const store = wrapWithChangelog(spec, inner, `${topic}:${partition}`);
    await this.restore(store, topic, partition);
    return store;
  }

  /** Replays the changelog partition into the store, from its checkpoint (or the start) to the end. */
  private async restore(store: ChangeloggingStore, topic: string, partition: number): Promise<void> {
    const end = (await this.admin.endOffsets(topic)).get(partition) ?? 0;
    const checkpointed = store.checkpointedOffset();
    const from = checkpointed !== undefined && checkpointed <= end ? checkpointed : 0;
    let restored = 0;
    const report = this.options.kafka.onRestoreProgress;
    report?.({ store: store.name, partition, restored, total: end - from, done: end <= from });
    if (end > from) {
      await this.client.reader().read([{ topic, partition, from, to: end }], (batch) => {
        for (const m of batch.messages) {
          const key = internalSerde.deserialize(m.key, topic);
          store.restore(key, m.value === null ? null : internalSerde.deserialize(m.value, topic));
        }
        restored += batch.messages.length;
        report?.({ store: store.name, partition, restored, total: end - from, done: false });
      });
      report?.({ store: store.name, partition, restored, total: end - from, done: true });
    }
    store.setChangelogOffset(end);
    this.prometheus.recordRestore(store.name, restored);
    this.counters.set('restore.records', (this.counters.get('restore.records') ?? 0) + restored);
  }

  /** Sends every changelogging store's changes since the last commit to its changelog partition. */
  private async sendChangelogs(): Promise<void> {
    const messages: OutgoingMessage[] = [];
    const stores = new Map<string, ChangeloggingStore>();
    for (const slot of this.slots.values()) {
      const task = slot.task;
      if (!task) continue;
      for (const store of task.allStores().values()) {
        if (!isChangeloggingStore(store)) continue;
        const topic = this.changelogTopic(store.name);
        stores.set(`${topic}:${task.partition}`, store);
        for (const change of store.drainChanges()) {
          messages.push({
            topic,
            partition: task.partition,
            key: internalSerde.serialize(change.key, topic),
            value: change.value === null ? null : internalSerde.serialize(change.value, topic),
          });
        }
      }
    }
    if (messages.length === 0) return;
    for (const written of await this.send(messages)) {
      stores.get(`${written.topic}:${written.partition}`)?.setChangelogOffset(written.offset);
    }
    this.counters.set('changelog.records', (this.counters.get('changelog.records') ?? 0) + messages.length);
  }

  /** Runs `fn` after everything queued before it: batches, ticks and commits never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => {});
    return run;
  }

  private onAssignment(assignment: TopicPartitions, memberId?: string): void {
    for (const [topic, partitions] of this.assignment) {
      const kept = assignment.get(topic) ?? [];
      for (const p of partitions) if (!kept.includes(p)) this.prometheus.forgetPartition(topic, p);
    }
    this.assignment = assignment;
    const wanted = new Map<string, { sub: Subtopology; partition: number }>();
    for (const [topic, partitions] of assignment) {
      const route = this.routes.get(topic);
      if (!route) continue;
      for (const p of partitions)
        wanted.set(`${route.subtopology.id}_${p}`, { sub: route.subtopology, partition: p });
    }
    // A member the group dropped and re-admitted may have missed generations in which another
    // member processed its partitions: none of its tasks can be trusted to continue.
    const rejoinedAsNewMember = this.memberId !== undefined && memberId !== this.memberId;
    this.memberId = memberId;
    if (!rejoinedAsNewMember) this.resumeKeptTasks(wanted);
    this.serial(async () => {
      for (const [id, slot] of this.slots) {
        if (wanted.has(id) && !rejoinedAsNewMember) continue;
        // Revoked: whatever this task did since its last commit is redone by the partition's new owner.
        this.slots.delete(id);
        await this.closeRevokedTask(await slot.ready);
      }
      for (const [id, { sub, partition }] of wanted) if (!this.slots.has(id)) this.openTask(sub, partition);
      await Promise.all([...this.slots.values()].map((s) => s.ready));
      this.counters.set('rebalances', (this.counters.get('rebalances') ?? 0) + 1);
      this.prometheus.recordRebalance(this.slots.size);
      if (!this.stopping) this.machine.transition('RUNNING');
    }).catch((e) => this.failAndStop(e as Error));
  }

  /**
   * Issue 4: after a rebalance kafkajs resumes every partition from its last committed offset, but a
   * task this member keeps still holds the state of the records it processed since (kafkajs has no
   * revocation callback to commit before the rebalance, and a commit during it fails). Resuming
   * the kept partitions where their tasks stopped keeps those records from being counted twice.
   * Runs synchronously in the assignment callback: kafkajs applies the seeks before its first fetch.
   */
  private resumeKeptTasks(wanted: ReadonlyMap<string, unknown>): void {
    for (const [id, slot] of this.slots) {
      if (!wanted.has(id)) continue;
      for (const position of slot.positions.values()) {
        if ((this.assignment.get(position.topic) ?? []).includes(position.partition))
          this.consumer.seek(position);
      }
    }
  }

  /** Closes a task, keeping its counters in the app's totals. */
  private async closeTask(task: Task): Promise<void> {
    for (const [k, v] of task.counters) this.counters.set(k, (this.counters.get(k) ?? 0) + v);
    task.counters.clear();
    await task.close();
  }

  /**
   * Closes a task whose partitions moved away. Persistent stores holding writes the changelog has
   * not seen are deleted: kept, they would be ahead of their checkpoint, and if the partition comes
   * back the records behind those writes would be counted twice. They are rebuilt from the changelog.
   */
  private async closeRevokedTask(task: Task): Promise<void> {
    const ahead = [...task.allStores().values()].filter(
      (s) => s.persistent && isChangeloggingStore(s) && s.hasChanges(),
    );
    await this.closeTask(task);
    const context = {
      applicationId: this.options.applicationId,
      taskId: task.taskId,
      stateDir: this.stateDir(),
    };
    for (const store of ahead) rmSync(storeDirectory(context, store.name), { recursive: true, force: true });
  }

  private stateDir(): string {
    return this.options.stateDir ?? join(process.cwd(), '.tributary-state');
  }

  private openTask(sub: Subtopology, partition: number): TaskSlot {
    const id = `${sub.id}_${partition}`;
    const ready = Task.create({
      applicationId: this.options.applicationId,
      topology: this.topology,
      subtopology: sub,
      partition,
      stateDir: this.stateDir(),
      storeFactory: (spec, context) => this.makeStore(spec, context, partition),
      clock: this.clock,
      errors: this.errors,
      deadLetterTopic: this.deadLetterTopic,
    });
    const slot: TaskSlot = { id, ready, task: undefined, positions: new Map() };
    ready.then(
      (task) => {
        slot.task = task;
      },
      () => {},
    );
    this.slots.set(id, slot);
    return slot;
  }

  private async onBatch(batch: FetchedBatch, heartbeat: () => Promise<void>): Promise<void> {
    if (this.stopping) return;
    try {
      const job = this.serial(async () => {
        if (this.stopping) return;
        const started = performance.now();
        const route = this.routes.get(batch.topic)!;
        const id = `${route.subtopology.id}_${batch.partition}`;
        const slot = this.slots.get(id) ?? this.openTask(route.subtopology, batch.partition);
        const task = await slot.ready;
        const { records, failures } = await decodeBatch(batch, route.serdes);
        const deadLetters = failures.length > 0 ? this.onDecodeFailures(batch, failures) : [];
        task.processBatch(route.logicalTopic, records);
        const last = batch.messages[batch.messages.length - 1]!;
        slot.positions.set(`${batch.topic}:${batch.partition}`, {
          topic: batch.topic,
          partition: batch.partition,
          offset: last.offset + 1,
        });
        this.counters.set('records.in', (this.counters.get('records.in') ?? 0) + records.length);
        await this.writeOutputs(task, deadLetters);
        const lag = batch.highWatermark !== undefined ? batch.highWatermark - (last.offset + 1) : undefined;
        this.prometheus.recordBatch(
          records.length,
          (performance.now() - started) / 1000,
          batch.topic,
          batch.partition,
          lag,
        );
        if (this.clock() - this.lastCommit >= (this.options.commitIntervalMs ?? 1000)) await this.commit();
      });
      // Keeps the group membership alive while a restore or a slow commit holds the batch up.
      const beat = setInterval(() => void heartbeat().catch(() => {}), 1000);
      try {
        await job;
      } finally {
        clearInterval(beat);
      }
      await heartbeat();
    } catch (error) {
      this.failAndStop(error as Error);
    }
  }

  /** Wall-clock punctuation and commits while input is idle. */
  private onTick(): void {
    if (this.stopping) return;
    this.serial(async () => {
      if (this.stopping) return;
      const now = this.clock();
      for (const slot of this.slots.values()) {
        if (!slot.task) continue;
        slot.task.punctuateWallClock(now);
        await this.writeOutputs(slot.task, []);
      }
      if (now - this.lastCommit >= (this.options.commitIntervalMs ?? 1000)) await this.commit();
    }).catch((e) => this.failAndStop(e as Error));
  }

  private onDecodeFailures(batch: FetchedBatch, failures: DecodeFailure[]): StreamRecord<unknown, unknown>[] {
    const action = this.errors.deserialization ?? 'fail';
    const first = failures[0]!;
    if (action === 'fail') {
      throw new DeserializationError(
        `Could not deserialize the record at topic ${batch.topic}, partition ${batch.partition}, offset ${first.message.offset}: ` +
          `${first.error.message}. Check the source's key/value serdes, or set errors.deserialization to 'skip' or 'dead-letter'.`,
        batch.topic,
        batch.partition,
        first.message.offset,
        { cause: first.error },
      );
    }
    const name = `errors.deserialization.${action === 'skip' ? 'skipped' : 'dead-lettered'}`;
    this.counters.set(name, (this.counters.get(name) ?? 0) + failures.length);
    if (action === 'skip') return [];
    return failures.map(({ message, error }) => {
      const raw: StreamRecord<unknown, unknown> = {
        key: message.key,
        value: message.value,
        timestamp: message.timestamp,
        headers: message.headers,
        origin: { topic: batch.topic, partition: batch.partition, offset: message.offset },
      };
      return { ...raw, headers: deadLetterHeaders(raw, `source:${batch.topic}`, error, 'deserialization') };
    });
  }

  private async writeOutputs(task: Task, extraDeadLetters: StreamRecord<unknown, unknown>[]): Promise<void> {
    if (task.pendingOutputCount() === 0 && extraDeadLetters.length === 0) return;
    const { sinks, deadLetters } = task.drainOutputs();
    if (extraDeadLetters.length > 0) {
      for (const d of extraDeadLetters) deadLetters.push(d);
      // Dead letters of both doors in the order their records were read.
      const offsetOf = (r: StreamRecord<unknown, unknown>) =>
        Number(r.headers?.[DEAD_LETTER_HEADERS.offset] ?? 0);
      deadLetters.sort((a, b) => offsetOf(a) - offsetOf(b));
    }
    const messages = await this.writer.write(sinks, deadLetters);
    await this.send(messages);
  }

  private async send(messages: OutgoingMessage[]): Promise<PartitionOffset[]> {
    if (messages.length === 0) return [];
    let written: PartitionOffset[];
    try {
      written = await this.producer.send(messages);
    } catch (error) {
      throw new TributaryError(
        `Producing ${messages.length} records to Kafka failed: ${(error as Error).message}. ` +
          'Check that the brokers are reachable and the topics exist.',
        { cause: error },
      );
    }
    this.counters.set('records.out', (this.counters.get('records.out') ?? 0) + messages.length);
    this.prometheus.recordOut(messages.length);
    for (const m of messages) {
      if (m.topic !== this.deadLetterTopic) continue;
      const door = String(m.headers?.[DEAD_LETTER_HEADERS.door] ?? 'processing');
      if (door === 'deserialization' || door === 'processing' || door === 'production')
        this.prometheus.recordDeadLetters(door, 1);
    }
    return written;
  }

  /** At-least-once commit: outputs and changelogs produced, sinks and stores flushed, then offsets committed. */
  private async commit(): Promise<void> {
    const started = performance.now();
    for (const slot of this.slots.values()) if (slot.task) await this.writeOutputs(slot.task, []);
    await this.sendChangelogs();
    for (const node of this.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.flush) await node.connector.flush();
    }
    const offsets: PartitionOffset[] = [];
    for (const slot of this.slots.values()) {
      if (!slot.task) continue;
      await slot.task.flushStores();
      for (const position of slot.positions.values()) offsets.push(position);
    }
    const startedAt = this.clock();
    const committed = await this.consumer.commit(offsets);
    this.counters.set('commits', (this.counters.get('commits') ?? 0) + (committed ? 1 : 0));
    this.lastCommit = startedAt;
    this.prometheus.recordCommit((performance.now() - started) / 1000);
  }

  private failAndStop(error: Error): void {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    this.fail(error);
    // Not awaited: this may run inside the consumer's batch handler, which disconnect() waits for.
    void this.consumer.disconnect().catch(() => {});
  }
}

async function defaultClient(kafka: KafkaOptions): Promise<KafkaClientPort> {
  // Loaded lazily so embedded apps never load kafkajs; the adapter lives with the connectors.
  const { KafkajsClient } = await import('../../connectors/kafka/kafkajs-client.js');
  return new KafkajsClient(kafka);
}
