import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { StateStore } from '../../state/store.js';
import { defaultStoreFactory } from '../default-store-factory.js';
import { EmbeddedLog } from '../embedded/embedded-log.js';
import type { ErrorPolicies } from '../error-policy.js';
import { TributaryError } from '../errors.js';
import { KafkaEngine } from '../kafka/kafka-engine.js';
import type { KafkaOptions } from '../kafka/kafka-options.js';
import { embeddedQueryHost, kafkaQueryHost } from '../query/query-hosts.js';
import type { InstanceMetadata, KeyQueryMetadata } from '../query/query-metadata.js';
import { type StoreDescription, StoreQueries } from '../query/store-queries.js';
import type { QueryableStore } from '../query/store-views.js';
import type { RecordHeaders } from '../record.js';
import {
  flushWithRecovery,
  type SinkRecoveryOptions,
  type SinkRetrySetting,
  sinkRecoveryOptions,
} from '../sink-recovery.js';
import { type StoreFactory, Task } from '../task/task.js';
import { deadLetterTopicName, resolveTopic } from '../topic-names.js';
import type { Topology } from '../topology/topology.js';
import { upstreamFirst } from '../topology/upstream-first.js';
import { type AppState, AppStateMachine, type StateListener } from './app-state.js';
import { type EngineTask, lagOf, runTaskBatch } from './embedded-engine.js';
import { OutputWriter } from './output-writer.js';
import { SourcePump } from './source-pump.js';

/** Options of {@link StreamsApp}. */
export interface StreamsAppOptions {
  /** Names the app: its consumer group, state folder and internal topics ("<applicationId>-..."). */
  applicationId: string;
  /** Root folder of persistent stores. Default "./.tributary-state". */
  stateDir?: string;
  /** Partitions of topics the app creates when the topology does not declare a count. Default 1. */
  partitions?: number;
  /** The three error doors; each defaults to 'fail'. */
  errors?: ErrorPolicies;
  /** Most records a task processes per batch. Default 1,000. */
  batchSize?: number;
  /** How often store changes are flushed and input positions committed (ms). Default 1,000. */
  commitIntervalMs?: number;
  /** Unprocessed records a source connector may run ahead before it is paused. Default 10,000. */
  maxSourceBacklog?: number;
  /** An embedded log to run on (to feed inputs from outside, or share between apps). Default: a new one. */
  log?: EmbeddedLog;
  /** Wall clock in ms (for tests). Default Date.now. */
  clock?: () => number;
  storeFactory?: StoreFactory;
  /**
   * How the app waits for a sink that failed retriably (its destination is down but it kept the
   * records; see `SinkConnector.write`): `flush()` again after `initialDelay` (default 1 s), doubling
   * up to `maxDelay` (default 30 s), telling `onRetry` each time. `sink.<name>.recoveries` counts them.
   */
  sinkRetry?: SinkRetrySetting;
  /** Run on a Kafka cluster (consumer group = applicationId) instead of the embedded log. */
  kafka?: KafkaOptions;
}

/**
 * Runs a topology. With no broker configured, it runs embedded: on an in-memory log with named
 * topics, partitions and offsets, one task per input partition, in this process.
 *
 * ```ts
 * const app = new StreamsApp(builder.build(), { applicationId: 'netmon' });
 * await app.start();
 * app.send('network-packets', [{ key: '10.0.0.1', value: packet, timestamp }]);
 * await app.close();
 * ```
 *
 * `start()` returns once tasks run; `whenDone()` resolves when every source connector has ended and
 * every record has been processed (a pcap replay, for example).
 *
 * With `kafka: { brokers }` it runs on a Kafka cluster instead: the consumer group
 * `applicationId` shares the input partitions among every instance, tasks follow their
 * partitions, state is backed by changelog topics (see src/runtime/kafka/kafka-engine.ts).
 */
export class StreamsApp {
  readonly log: EmbeddedLog;
  private readonly machine = new AppStateMachine();
  private readonly engineTasks: EngineTask[] = [];
  private readonly pumps: SourcePump[] = [];
  private readonly abort = new AbortController();
  private readonly recovery: SinkRecoveryOptions;
  /** True while a batch is processed and its outputs written: whenDone must not resolve then. */
  private writing = false;
  private writer!: OutputWriter;
  private loop: Promise<void> | undefined;
  private failure: Error | undefined;
  private lastCommit = 0;
  private readonly clock: () => number;
  private readonly deadLetterTopic: string;
  /** Set when the app runs on Kafka: every lifecycle call is delegated to it. */
  private readonly kafkaEngine: KafkaEngine | undefined;
  private removeSignalHandlers: (() => void) | undefined;
  /** Interactive queries (src/runtime/query). */
  private readonly queries: StoreQueries;

  constructor(
    private readonly topology: Topology,
    private readonly options: StreamsAppOptions,
  ) {
    if (!options.applicationId) throw new TributaryError('StreamsApp needs an applicationId.');
    if (!topology.isSealed) topology.validate();
    this.log = options.log ?? new EmbeddedLog();
    this.clock = options.clock ?? Date.now;
    this.recovery = sinkRecoveryOptions(options.sinkRetry, this.abort.signal);
    this.deadLetterTopic = deadLetterTopicName(options.applicationId, options.errors?.deadLetterTopic);
    if (options.kafka) {
      this.kafkaEngine = new KafkaEngine(
        topology,
        { ...options, kafka: options.kafka },
        this.machine,
        (error) => this.fail(error),
      );
    }
    // Interactive queries: every state change may follow a new assignment, so forget the old one.
    const state = () => this.state;
    this.queries = new StoreQueries(
      topology,
      this.kafkaEngine
        ? kafkaQueryHost(options.applicationId, options.kafka?.applicationServer, state, this.kafkaEngine)
        : embeddedQueryHost(options.applicationId, state, this.log, () => this.engineTasks),
    );
    this.machine.onChange(() => this.queries.invalidate());
  }

  get state(): AppState {
    return this.machine.state;
  }

  /** Calls `listener(next, previous)` on every state change; returns a function that removes it. */
  onStateChange(listener: StateListener): () => void {
    return this.machine.onChange(listener);
  }

  /** The error that moved the app to ERROR, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Creates the declared topics, builds one task per partition, starts sources and the processing loop. */
  async start(): Promise<void> {
    if (this.state !== 'CREATED')
      throw new TributaryError(`start() was already called (state ${this.state}).`);
    this.machine.transition('REBALANCING');
    if (this.kafkaEngine) return this.startOnKafka(this.kafkaEngine);
    const appId = this.options.applicationId;
    const resolve = (t: string) => resolveTopic(this.topology, appId, t);
    this.createTopics(resolve);
    this.writer = new OutputWriter(
      this.log,
      resolve,
      this.options.errors ?? {},
      this.deadLetterTopic,
      this.recovery,
    );
    const stateDir = this.options.stateDir ?? join(process.cwd(), '.tributary-state');
    for (const subtopology of this.topology.subtopologies()) {
      const counts = new Set(subtopology.sources.map((s) => this.log.partitionCount(resolve(s.topic))));
      if (counts.size > 1) {
        const list = subtopology.sources.map(
          (s) => `${s.topic} (${this.log.partitionCount(resolve(s.topic))})`,
        );
        throw new TributaryError(
          `Sub-topology ${subtopology.id} reads topics that are not co-partitioned: ${list.join(', ')}. Give them the same partition count.`,
        );
      }
      const partitions = [...counts][0] ?? 1;
      for (let partition = 0; partition < partitions; partition++) {
        const task = await Task.create({
          applicationId: appId,
          topology: this.topology,
          subtopology,
          partition,
          stateDir,
          storeFactory: this.options.storeFactory ?? defaultStoreFactory,
          clock: this.clock,
          errors: this.options.errors ?? {},
          deadLetterTopic: this.deadLetterTopic,
        });
        const inputs = subtopology.sources.map((s) => {
          const logTopic = resolve(s.topic);
          return {
            topic: s.topic,
            logTopic,
            partition,
            position: this.log.committed(appId, logTopic, partition),
          };
        });
        // Register this app as a reader of its inputs right away, so the log keeps them for it.
        for (const input of inputs) this.log.commit(appId, input.logTopic, input.partition, input.position);
        this.engineTasks.push({ task, inputs });
      }
    }
    for (const node of this.topology.nodes()) {
      if (node.kind !== 'source' || !node.connector) continue;
      const logTopic = resolve(node.topic);
      const readers = this.engineTasks.filter((t) => t.inputs.some((i) => i.logTopic === logTopic));
      const backlog = () => readers.reduce((sum, t) => sum + lagOf(this.log, t), 0);
      this.pumps.push(
        new SourcePump(
          node.connector,
          this.log,
          logTopic,
          backlog,
          this.options.maxSourceBacklog ?? 10_000,
          this.abort.signal,
        ),
      );
    }
    this.lastCommit = this.clock();
    this.machine.transition('RUNNING');
    this.loop = this.runLoop();
  }

  /** Appends records to a topic of the embedded log (inputs from outside the topology). */
  send(
    topic: string,
    records: Iterable<{ key: unknown; value: unknown; timestamp?: number; headers?: RecordHeaders }>,
  ): void {
    if (this.kafkaEngine) {
      throw new TributaryError(
        `send("${topic}") writes to the embedded log, but this app runs on Kafka: produce to the topic with a Kafka producer.`,
      );
    }
    for (const r of records) {
      this.log.append(topic, {
        key: r.key,
        value: r.value,
        timestamp: r.timestamp ?? this.clock(),
        headers: r.headers,
      });
    }
  }

  /**
   * Resolves when all source connectors have ended and every task has processed everything in its
   * inputs (including records that flowed through repartition topics). Rejects if the app fails.
   */
  async whenDone(): Promise<void> {
    // On Kafka input never ends: "done" means caught up with everything in the assigned partitions.
    if (this.kafkaEngine) return this.kafkaEngine.whenCaughtUp(() => this.failure);
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.state !== 'RUNNING') return;
      const sourcesDone = this.pumps.every((p) => p.isDone);
      const drained =
        !this.writing &&
        this.engineTasks.every((t) => lagOf(this.log, t) === 0 && t.task.pendingOutputCount() === 0);
      if (sourcesDone && drained) {
        // A second look after a turn of the loop: the last batch may have written to a topic another task reads.
        await new Promise((r) => setTimeout(r, 10));
        if (!this.writing && this.engineTasks.every((t) => lagOf(this.log, t) === 0)) return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Declares the input ended (a bounded input: a pcap replay, a file). Waits as `whenDone()` does,
   * then lets every processor forward what it holds back for input that will not come: emit-final
   * windows still open, left-join records still waiting for a partner (`Processor.endOfInput`).
   * Sub-topologies go upstream first, so results that flow through a repartition topic are flushed
   * downstream too; resolves once all of it is written to the sinks. Call it once, after the last
   * record. Embedded runtime only: on Kafka the input never ends.
   */
  async endOfInput(): Promise<void> {
    if (this.kafkaEngine) {
      throw new TributaryError(
        'endOfInput() is for bounded input on the embedded runtime; on Kafka the input never ends (stop the app with close()).',
      );
    }
    await this.whenDone();
    if (this.state !== 'RUNNING') {
      throw new TributaryError(`endOfInput() needs a running app; it is ${this.state}.`);
    }
    const parts = new Map(this.engineTasks.map(({ task }) => [task.subtopology.id, task.subtopology]));
    for (const part of upstreamFirst([...parts.values()])) {
      for (const { task } of this.engineTasks) if (task.subtopology.id === part.id) task.endOfInput();
      await this.whenDone();
    }
  }

  /** Counters of all tasks and sinks, summed by name (`log.truncated-unread`: outputs dropped by retention). */
  metrics(): Map<string, number> {
    if (this.kafkaEngine) return this.kafkaEngine.metrics();
    const sum = new Map<string, number>();
    const add = (k: string, v: number) => sum.set(k, (sum.get(k) ?? 0) + v);
    for (const { task } of this.engineTasks) for (const [k, v] of task.counters) add(k, v);
    for (const [k, v] of this.writer?.counters ?? []) add(k, v);
    for (const pump of this.pumps) add(`source.${pump.connector.name}.records`, pump.recordsIn);
    if (this.log.truncatedUnread() > 0) add('log.truncated-unread', this.log.truncatedUnread());
    return sum;
  }

  /** The prom-client registry holding the app's metrics when it runs on Kafka (the one passed in `kafka.metricsRegistry`, or a new one). */
  get metricsRegistry(): Registry | undefined {
    return this.kafkaEngine?.prometheus.registry;
  }

  /**
   * Interactive queries: a read-only view of store `name` over every task of this instance. Key
   * lookups go to the task owning the key's partition; ranges and scans merge all local tasks.
   * Narrow the result with `kind` ('key-value' | 'window' | 'session'). Throws UnknownStoreError
   * for a name the topology lacks, StoreUnavailableError before start, while rebalancing or
   * restoring (`retriable`), and after close. On Kafka, a key held by another instance reads as
   * absent: ask `queryMetadataForKey` which instance holds it.
   */
  store<K = unknown, V = unknown>(name: string): QueryableStore<K, V>;
  /** The raw store of this instance's task for `partition` (tests and tools; prefer `store(name)`). */
  store<S extends StateStore>(name: string, partition: number): S;
  store(name: string, partition?: number): unknown {
    if (partition === undefined) return this.queries.store(name);
    const onKafka = this.kafkaEngine?.store(name, partition);
    if (onKafka) return onKafka;
    for (const { task } of this.engineTasks) {
      if (task.partition !== partition) continue;
      const store = task.allStores().get(name);
      if (store) return store;
    }
    throw new TributaryError(`No state store "${name}" for partition ${partition}.`);
  }

  /** Interactive queries: the stores of the topology and their kinds. */
  queryableStores(): StoreDescription[] {
    return this.queries.stores();
  }

  /**
   * Interactive queries: which instance holds `key` of store `name` (its advertised
   * `kafka.applicationServer`), its partition, and whether that is this instance. Embedded, every
   * key is local. Rejects with StoreUnavailableError (retriable) while the group rebalances.
   */
  queryMetadataForKey(name: string, key: unknown): Promise<KeyQueryMetadata> {
    return this.queries.queryMetadataForKey(name, key);
  }

  /** Interactive queries: every instance of the app with its partitions and stores (embedded: this one). */
  allMetadata(): Promise<InstanceMetadata[]> {
    return this.queries.allMetadata();
  }

  /** Stops sources and the loop, flushes sinks and stores, commits positions, closes everything. Safe twice. */
  async close(): Promise<void> {
    if (this.state === 'NOT_RUNNING' || this.state === 'PENDING_SHUTDOWN') return;
    const wasCreated = this.state === 'CREATED';
    this.machine.transition('PENDING_SHUTDOWN');
    this.removeSignalHandlers?.();
    if (this.kafkaEngine) {
      await this.kafkaEngine.close(!wasCreated && this.failure === undefined);
      this.machine.transition('NOT_RUNNING');
      return;
    }
    this.abort.abort();
    await this.loop;
    for (const pump of this.pumps) await pump.connector.close().catch(() => {});
    if (!wasCreated) {
      await this.commit().catch((e) => this.fail(e));
      for (const node of this.topology.nodes()) {
        if (node.kind === 'sink' && node.connector?.close) await node.connector.close().catch(() => {});
      }
      for (const { task } of this.engineTasks) await task.close();
    }
    this.machine.transition('NOT_RUNNING');
  }

  private async startOnKafka(engine: KafkaEngine): Promise<void> {
    if (this.options.kafka?.handleSignals) {
      const onSignal = () => void this.close();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      this.removeSignalHandlers = () => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      };
    }
    try {
      await engine.start();
    } catch (error) {
      this.fail(error as Error);
      await engine.close(false);
      throw error;
    }
  }

  private createTopics(resolve: (t: string) => string): void {
    const fallback = this.options.partitions ?? 1;
    const sources = this.topology.nodes().flatMap((n) => (n.kind === 'source' ? [n] : []));
    for (const s of sources)
      this.log.createTopic(resolve(s.topic), s.partitions ?? this.existingOr(resolve(s.topic), fallback));
    for (const t of this.topology.internalTopics())
      this.log.createTopic(resolve(t.name), t.partitions ?? fallback);
    for (const n of this.topology.nodes()) {
      if (n.kind === 'sink' && n.topic !== undefined && !this.log.hasTopic(resolve(n.topic))) {
        this.log.createTopic(resolve(n.topic), fallback);
      }
    }
    if (!this.log.hasTopic(this.deadLetterTopic)) this.log.createTopic(this.deadLetterTopic, 1);
  }

  private existingOr(topic: string, fallback: number): number {
    return this.log.hasTopic(topic) ? this.log.partitionCount(topic) : fallback;
  }

  private async runLoop(): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    const commitEvery = this.options.commitIntervalMs ?? 1000;
    try {
      while (!this.abort.signal.aborted) {
        let progressed = 0;
        const now = this.clock();
        for (const engineTask of this.engineTasks) {
          engineTask.task.punctuateWallClock(now);
          this.writing = true; // outputs of a batch may still be on their way (a sink recovering)
          progressed += await runTaskBatch(this.log, engineTask, this.writer, batchSize);
          this.writing = false;
        }
        const failed = this.pumps.find((p) => p.error !== undefined);
        if (failed) throw failed.error;
        if (now - this.lastCommit >= commitEvery) await this.commit();
        if (progressed === 0) await this.log.waitForAppend(20);
      }
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private async commit(): Promise<void> {
    const appId = this.options.applicationId;
    for (const node of this.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.flush)
        await flushWithRecovery(node.connector, this.recovery);
    }
    for (const { task, inputs } of this.engineTasks) {
      await task.flushStores();
      for (const input of inputs) this.log.commit(appId, input.logTopic, input.partition, input.position);
    }
    this.lastCommit = this.clock();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.machine.transition('ERROR');
    this.abort.abort();
  }
}
