import type { Registry } from 'prom-client';
import type { StateStore } from '../../state/store.js';
import { EmbeddedLog } from '../embedded/embedded-log.js';
import { TributaryError } from '../errors.js';
import { KafkaEngine } from '../kafka/kafka-engine.js';
import { embeddedQueryHost, kafkaQueryHost } from '../query/query-hosts.js';
import type { InstanceMetadata, KeyQueryMetadata } from '../query/query-metadata.js';
import { type StoreDescription, StoreQueries } from '../query/store-queries.js';
import type { QueryableStore } from '../query/store-views.js';
import type { RecordHeaders } from '../record.js';
import { deadLetterTopicName } from '../topic-names.js';
import type { Topology } from '../topology/topology.js';
import { type AppState, AppStateMachine, type StateListener } from './app-state.js';
import { EmbeddedRuntime } from './embedded-runtime.js';
import type { StreamsAppOptions } from './streams-app-options.js';

export type { StreamsAppOptions } from './streams-app-options.js';

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
  private failure: Error | undefined;
  /** Set when the app runs embedded (no `kafka` option). */
  private readonly embedded: EmbeddedRuntime | undefined;
  /** Set when the app runs on Kafka: every lifecycle call is delegated to it. */
  private readonly kafkaEngine: KafkaEngine | undefined;
  private removeSignalHandlers: (() => void) | undefined;
  /** Interactive queries (src/runtime/query). */
  private readonly queries: StoreQueries;

  constructor(
    topology: Topology,
    private readonly options: StreamsAppOptions,
  ) {
    if (!options.applicationId) throw new TributaryError('StreamsApp needs an applicationId.');
    if (!topology.isSealed) topology.validate();
    this.log = options.log ?? new EmbeddedLog();
    if (options.kafka) {
      this.kafkaEngine = new KafkaEngine(
        topology,
        { ...options, kafka: options.kafka },
        this.machine,
        (error) => this.fail(error),
      );
    } else {
      const deadLetters = deadLetterTopicName(options.applicationId, options.errors?.deadLetterTopic);
      this.embedded = new EmbeddedRuntime(topology, options, this.log, deadLetters, {
        isRunning: () => this.state === 'RUNNING',
        failure: () => this.failure,
        fail: (error) => this.fail(error),
      });
    }
    // Interactive queries: every state change may follow a new assignment, so forget the old one.
    const state = () => this.state;
    this.queries = new StoreQueries(
      topology,
      this.kafkaEngine
        ? kafkaQueryHost(options.applicationId, options.kafka?.applicationServer, state, this.kafkaEngine)
        : embeddedQueryHost(options.applicationId, state, this.log, () => this.embedded?.tasks ?? []),
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
    await this.embedded!.build();
    this.machine.transition('RUNNING');
    this.embedded!.run();
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
        timestamp: r.timestamp ?? (this.options.clock ?? Date.now)(),
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
    return this.embedded!.whenDone();
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
    return this.embedded!.endOfInput();
  }

  /** Counters of all tasks and sinks, summed by name (`log.truncated-unread`: outputs dropped by retention). */
  metrics(): Map<string, number> {
    if (this.kafkaEngine) return this.kafkaEngine.metrics();
    return this.embedded!.metrics();
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
    const store = this.kafkaEngine?.store(name, partition) ?? this.embedded?.store(name, partition);
    if (store) return store;
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

  /**
   * Stops sources and the loop, flushes sinks and stores, commits positions, closes everything. Safe
   * twice. The app ends NOT_RUNNING even when the last commit or a store's final write fails (a full
   * disk); close then rejects with that error.
   */
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
    const failure = await this.embedded!.close(!wasCreated);
    this.failure ??= failure;
    this.machine.transition('NOT_RUNNING');
    // Closed either way; a failed last commit (a full disk) is still the caller's to know.
    if (failure) throw failure;
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

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.machine.transition('ERROR');
    this.embedded?.stop();
  }
}
