import { join } from 'node:path';
import type { StateStore } from '../../state/store.js';
import type { AppStateMachine } from '../app/app-state.js';
import type { ErrorPolicies } from '../error-policy.js';
import { TributaryError } from '../errors.js';
import { type SinkRecoveryOptions, type SinkRetrySetting, sinkRecoveryOptions } from '../sink-recovery.js';
import type { StoreFactory } from '../task/task.js';
import { deadLetterTopicName, resolveTopic } from '../topic-names.js';
import type { Subtopology } from '../topology/subtopologies.js';
import type { Topology } from '../topology/topology.js';
import { createAppTopics } from './app-topics.js';
import { AtLeastOnceCommit } from './at-least-once-commit.js';
import { BatchProcessor, type Route } from './batch-processor.js';
import { whenCaughtUp } from './catch-up.js';
import { ChangelogStores } from './changelog-stores.js';
import type {
  AdminPort,
  ConsumerPort,
  FetchedBatch,
  KafkaClientPort,
  PartitionOffset,
  ProducerPort,
  TopicPartitions,
} from './client-port.js';
import type { CommitProtocol } from './commit-protocol.js';
import { addCount, type Counters } from './engine-counters.js';
import { ExactlyOnceCommit } from './exactly-once-commit.js';
import { KafkaMetrics } from './kafka-metrics.js';
import type { KafkaOptions } from './kafka-options.js';
import { KafkaOutputWriter } from './kafka-output-writer.js';
import { KafkaSourcePump } from './kafka-source-pump.js';
import { OutputSender } from './output-sender.js';
import { defaultTopicSerdes, internalSerde, type TopicSerdes } from './record-codec.js';
import { DEFAULT_REPARTITION_PURGE_INTERVAL_MS, RepartitionPurger } from './repartition-purge.js';
import { SerialLane } from './serial-lane.js';
import { TaskRecovery } from './task-recovery.js';
import { type TaskSlot, TaskSlots } from './task-slots.js';

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
  readonly sinkRetry?: SinkRetrySetting | undefined;
}

/**
 * Runs a topology on Kafka: one consumer in the group `applicationId`, one task per sub-topology
 * and input partition (created and closed as the group assigns and revokes partitions, see
 * TaskSlots), batches run by the BatchProcessor, and outputs and progress made durable by the
 * commit protocol: AtLeastOnceCommit, or ExactlyOnceCommit (one transaction per task and commit).
 *
 * Backpressure: a batch's outputs are awaited before the batch handler returns, and the client
 * fetches no more for a partition until then.
 */
export class KafkaEngine {
  private readonly clock: () => number;
  private readonly routes = new Map<string, Route>();
  private readonly partitionCounts = new Map<string, number>();
  private readonly deadLetterTopic: string;
  private readonly errors: ErrorPolicies;
  private readonly counters: Counters = new Map();
  private readonly slots: TaskSlots;
  private client!: KafkaClientPort;
  private admin!: AdminPort;
  private consumer!: ConsumerPort;
  private producer!: ProducerPort;
  private writer!: KafkaOutputWriter;
  private sender!: OutputSender;
  private changelogs!: ChangelogStores;
  private protocol!: CommitProtocol;
  private purger!: RepartitionPurger;
  private readonly exactlyOnce: boolean;
  /** Exactly-once: rebuilds or drops tasks whose transaction failed. */
  private taskRecovery!: TaskRecovery;
  private batches!: BatchProcessor;
  private readonly lane = new SerialLane();
  private timer: NodeJS.Timeout | undefined;
  private tickQueued = false;
  private lastCommit = 0;
  private stopping = false;
  private assignment: TopicPartitions = new Map();
  private memberId: string | undefined;
  private readonly pumps: KafkaSourcePump[] = [];
  private readonly abort = new AbortController();
  private readonly recovery: SinkRecoveryOptions;
  /** Prometheus metrics (StreamsApp.metricsRegistry). */
  readonly prometheus: KafkaMetrics;

  constructor(
    private readonly topology: Topology,
    private readonly options: KafkaEngineOptions,
    private readonly machine: AppStateMachine,
    private readonly fail: (error: Error) => void,
  ) {
    this.clock = options.clock ?? Date.now;
    this.recovery = sinkRecoveryOptions(options.sinkRetry, this.abort.signal);
    this.errors = options.errors ?? {};
    this.deadLetterTopic = deadLetterTopicName(options.applicationId, this.errors.deadLetterTopic);
    this.prometheus = new KafkaMetrics(options.applicationId, options.kafka.metricsRegistry);
    this.exactlyOnce = options.kafka.guarantee === 'exactly-once';
    this.slots = new TaskSlots({
      applicationId: options.applicationId,
      topology,
      stateDir: options.stateDir ?? join(process.cwd(), '.tributary-state'),
      clock: this.clock,
      errors: this.errors,
      deadLetterTopic: this.deadLetterTopic,
      storeFactory: (partition) => (spec, context) => this.changelogs.build(spec, context, partition),
      counters: this.counters,
      prepare: this.exactlyOnce
        ? (taskId) => (this.protocol as ExactlyOnceCommit).prepare(taskId)
        : undefined,
    });
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
    if (kafka.guarantee !== undefined && kafka.guarantee !== 'at-least-once' && !this.exactlyOnce) {
      throw new TributaryError(
        `kafka.guarantee must be 'at-least-once' or 'exactly-once', got ${JSON.stringify(kafka.guarantee)}.`,
      );
    }
    this.client = kafka.client ?? (await defaultClient(kafka));
    this.admin = this.client.admin();
    await this.admin.connect();
    this.changelogs = new ChangelogStores({
      applicationId,
      storeFactory: this.options.storeFactory,
      onRestoreProgress: kafka.onRestoreProgress,
      client: this.client,
      admin: this.admin,
      counters: this.counters,
      prometheus: this.prometheus,
      wipeLocalState: this.exactlyOnce,
    });
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
      this.recovery,
    );
    this.sender = new OutputSender(this.counters, this.prometheus, this.deadLetterTopic);
    this.producer = this.client.producer();
    await this.producer.connect();
    this.consumer = this.client.consumer({
      groupId: applicationId,
      coPartitionGroupOf: (topic) => String(this.routes.get(topic)?.subtopology.id ?? topic),
      sessionTimeoutMs: kafka.sessionTimeoutMs,
      applicationServer: kafka.applicationServer,
      readCommitted: this.exactlyOnce,
    });
    this.protocol = this.exactlyOnce
      ? new ExactlyOnceCommit({
          applicationId,
          topology: this.topology,
          client: this.client,
          sender: this.sender,
          slots: this.slots,
          changelogs: this.changelogs,
          counters: this.counters,
          recovery: this.recovery,
        })
      : new AtLeastOnceCommit({
          topology: this.topology,
          producer: this.producer,
          consumer: this.consumer,
          sender: this.sender,
          slots: this.slots,
          changelogs: this.changelogs,
          counters: this.counters,
          recovery: this.recovery,
        });
    this.purger = new RepartitionPurger({
      admin: this.admin,
      repartitionTopics: new Set(this.topology.internalTopics().map((t) => this.resolve(t.name))),
      intervalMs: kafka.repartitionPurgeIntervalMs ?? DEFAULT_REPARTITION_PURGE_INTERVAL_MS,
      clock: this.clock,
      counters: this.counters,
    });
    this.taskRecovery = new TaskRecovery({
      groupId: applicationId,
      admin: this.admin,
      consumer: this.consumer,
      protocol: this.protocol,
      slots: this.slots,
      routes: this.routes,
      counters: this.counters,
      assignment: () => this.assignment,
    });
    this.batches = new BatchProcessor({
      routes: this.routes,
      slots: this.slots,
      writer: this.writer,
      protocol: this.protocol,
      errors: this.errors,
      counters: this.counters,
      prometheus: this.prometheus,
    });
    await this.consumer.connect();
    await this.consumer.subscribe([...this.routes.keys()]);
    this.lastCommit = this.clock();
    await this.consumer.run({
      eachBatch: (batch, heartbeat) => this.onBatch(batch, heartbeat),
      onAssignment: (assignment, memberId) => this.onAssignment(assignment, memberId),
      onRebalance: () => this.onRebalance(),
      onSkipped: (position) => this.onSkipped(position),
      onRestarting: () => this.onConsumerRestarting(),
      onFailure: (error) => this.failAndStop(error),
    });
    this.startPumps();
    const interval = this.options.commitIntervalMs ?? 1000;
    this.timer = setInterval(() => this.onTick(), Math.min(interval, 1000));
    this.timer.unref();
  }

  /** Feeds each source connector into its topic. */
  private startPumps(): void {
    for (const node of this.topology.nodes()) {
      if (node.kind !== 'source' || !node.connector) continue;
      const topic = this.resolve(node.topic);
      this.pumps.push(
        new KafkaSourcePump(
          node.connector,
          topic,
          this.serdesOf(node.keySerde, node.valueSerde, node.topic),
          (messages) => this.sender.send(this.producer, messages),
          this.abort.signal,
          (error) => this.failAndStop(error),
        ),
      );
    }
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
    // Exactly-once: what was not committed is aborted (the protocol closes its open transactions).
    await this.consumer.disconnect().catch(() => {});
    for (const node of this.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.close) await node.connector.close().catch(() => {});
    }
    await this.slots.closeAll();
    await this.protocol.close();
    await this.purger.close();
    await this.producer.disconnect().catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }

  /** Counters of all tasks and sinks, summed by name. */
  metrics(): Map<string, number> {
    const sum = new Map<string, number>();
    for (const task of this.slots.tasks()) for (const [k, v] of task.counters) addCount(sum, k, v);
    for (const [k, v] of this.writer?.counters ?? []) addCount(sum, k, v);
    for (const [k, v] of this.counters) addCount(sum, k, v);
    for (const pump of this.pumps) addCount(sum, `source.${pump.connector.name}.records`, pump.recordsIn);
    return sum;
  }

  /** A store of this instance's task for `partition`. */
  store(name: string, partition: number): StateStore | undefined {
    for (const task of this.slots.tasks()) {
      if (task.partition !== partition) continue;
      const store = task.allStores().get(name);
      if (store) return store;
    }
    return undefined;
  }

  // Interactive queries (src/runtime/query/query-hosts.ts) read the next four.
  /** This instance's tasks; `task` is undefined while its stores restore. */
  localTasks(): Iterable<TaskSlot> {
    return this.slots.values();
  }
  /** The app's consumer group as the coordinator describes it, when the client can. */
  describeGroup(): ReturnType<NonNullable<AdminPort['describeGroup']>> | undefined {
    return this.admin?.describeGroup?.(this.options.applicationId);
  }
  /** Partitions of a real topic the app reads or writes (known after start). */
  partitionCount(topic: string): number | undefined {
    return this.partitionCounts.get(topic);
  }
  /** The key serde of a real input topic. */
  keySerdeOf(topic: string): TopicSerdes['key'] | undefined {
    return this.routes.get(topic)?.serdes.key;
  }

  /**
   * Resolves once source connectors have ended and this instance has an assignment and has
   * processed and committed everything in its assigned partitions (see catch-up.ts).
   */
  whenCaughtUp(isFailed: () => Error | undefined): Promise<void> {
    return whenCaughtUp(
      {
        admin: this.admin,
        groupId: this.options.applicationId,
        state: () => this.machine.state,
        assignment: () => this.assignment,
        sourcesDone: () => this.pumps.every((p) => p.isDone),
        pendingOutputs: () => {
          let pending = 0;
          for (const task of this.slots.tasks()) pending += task.pendingOutputCount();
          return pending;
        },
      },
      isFailed,
    );
  }

  /** Creates the topics the topology declares, then learns every partition count. */
  private async createTopics(): Promise<void> {
    const counts = await createAppTopics(this.topology, this.admin, {
      kafka: this.options.kafka,
      partitions: this.options.partitions,
      resolve: (t) => this.resolve(t),
      deadLetterTopic: this.deadLetterTopic,
      changelogTopic: (store) => this.changelogs.topicOf(store),
    });
    for (const [topic, count] of counts) this.partitionCounts.set(topic, count);
  }

  /** Runs `fn` after everything queued before it: batches, ticks and commits never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.lane.run(fn);
  }

  private onAssignment(assignment: TopicPartitions, memberId?: string): void {
    for (const [topic, partitions] of this.assignment) {
      const kept = assignment.get(topic) ?? [];
      for (const p of partitions) if (!kept.includes(p)) this.prometheus.forgetPartition(topic, p);
    }
    this.assignment = assignment;
    this.taskRecovery.reset();
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
      for (const [id, slot] of [...this.slots.entries()]) {
        if (wanted.has(id) && !rejoinedAsNewMember) continue;
        // Revoked: whatever this task did since its last commit is redone by the partition's new owner.
        this.slots.delete(id);
        await this.protocol.discard(slot);
        await this.slots.closeRevoked(await slot.ready);
      }
      const opened: TaskSlot[] = [];
      for (const [id, { sub, partition }] of wanted)
        if (!this.slots.has(id)) opened.push(this.slots.open(sub, partition));
      await Promise.all([...this.slots.values()].map((s) => s.ready));
      // Exactly-once: opening a task fenced its previous owner, which may have committed a
      // transaction (outputs + offsets) after kafkajs read the committed offsets for this
      // assignment. Only now are they final: resume from them, or those records come out twice.
      if (this.exactlyOnce) for (const slot of opened) await this.taskRecovery.resumeFromCommitted(slot);
      addCount(this.counters, 'rebalances');
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
    for (const [id, slot] of this.slots.entries()) {
      if (!wanted.has(id)) continue;
      for (const position of slot.positions.values()) {
        if ((this.assignment.get(position.topic) ?? []).includes(position.partition))
          this.consumer.seek(position);
      }
    }
  }

  private async onBatch(batch: FetchedBatch, heartbeat: () => Promise<void>): Promise<void> {
    if (this.stopping) return;
    try {
      const job = this.serial(async () => {
        if (this.stopping) return;
        await this.taskRecovery.recovering(async () => {
          if (this.taskRecovery.isFenced(this.taskIdOf(batch.topic, batch.partition))) return;
          await this.batches.process(batch);
          if (this.clock() - this.lastCommit >= (this.options.commitIntervalMs ?? 1000)) await this.commit();
        });
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

  /**
   * Wall-clock punctuation and commits while input is idle. One tick waits in the queue at most: a
   * commit that takes longer than the tick interval (a coordinator away) must not pile up ticks ahead of
   * the batches, which would then wait behind one slow commit after another.
   */
  private onTick(): void {
    if (this.stopping || this.tickQueued) return;
    this.tickQueued = true;
    this.serial(async () => {
      this.tickQueued = false;
      if (this.stopping) return;
      const now = this.clock();
      await this.taskRecovery.recovering(async () => {
        for (const slot of this.slots.values()) {
          if (!slot.task) continue;
          slot.task.punctuateWallClock(now);
          await this.batches.writeOutputs(slot);
        }
        if (now - this.lastCommit >= (this.options.commitIntervalMs ?? 1000)) await this.commit();
      });
    }).catch((e) => this.failAndStop(e as Error));
  }

  /** Sends every task's pending outputs, then lets the commit protocol make progress durable. */
  private async commit(): Promise<void> {
    const started = performance.now();
    for (const slot of this.slots.values()) await this.batches.writeOutputs(slot);
    const startedAt = this.clock();
    this.purger.committed(await this.protocol.commit());
    this.lastCommit = startedAt;
    this.prometheus.recordCommit((performance.now() - started) / 1000);
  }

  /** "<subtopology>_<partition>" of the task reading `topic`'s `partition`. */
  private taskIdOf(topic: string, partition: number): string {
    return `${this.routes.get(topic)?.subtopology.id ?? topic}_${partition}`;
  }

  /** A rebalance started. Exactly-once: commit now, while this member still owns its tasks. */
  private onRebalance(): void {
    if (this.machine.state === 'RUNNING') this.machine.transition('REBALANCING');
    if (!this.exactlyOnce || this.stopping) return;
    this.serial(() => this.taskRecovery.recovering(() => this.commit())).catch((e) =>
      this.failAndStop(e as Error),
    );
  }

  /** The consumer crashed and left the group; it joins again (and gets a new assignment) after a pause. */
  private onConsumerRestarting(): void {
    if (this.machine.state === 'RUNNING') this.machine.transition('REBALANCING');
  }

  /**
   * The consumer moved past records it does not deliver (transaction markers, aborted records):
   * the task's next offset to commit moves with it, or the group would never look caught up.
   */
  private onSkipped(position: PartitionOffset): void {
    if (!this.routes.has(position.topic)) return;
    this.serial(async () => {
      const slot = this.slots.get(this.taskIdOf(position.topic, position.partition));
      const key = `${position.topic}:${position.partition}`;
      const current = slot?.positions.get(key);
      if (slot && (current === undefined || current.offset < position.offset))
        slot.positions.set(key, position);
    }).catch((e) => this.failAndStop(e as Error));
  }

  private failAndStop(error: Error): void {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    this.fail(error);
    // Exactly-once: abort the open transactions now rather than when the broker times them out.
    if (this.exactlyOnce) void this.serial(() => this.protocol.close()).catch(() => {});
    // Not awaited: this may run inside the consumer's batch handler, which disconnect() waits for.
    void this.consumer.disconnect().catch(() => {});
  }
}

async function defaultClient(kafka: KafkaOptions): Promise<KafkaClientPort> {
  // Loaded lazily so embedded apps never load kafkajs; the adapter lives with the connectors.
  const { KafkajsClient } = await import('../../connectors/kafka/kafkajs-client.js');
  return new KafkajsClient(kafka);
}
