import { join } from 'node:path';
import type { StateStore } from '../../state/store.js';
import { defaultStoreFactory } from '../default-store-factory.js';
import type { EmbeddedLog } from '../embedded/embedded-log.js';
import { TributaryError } from '../errors.js';
import { flushWithRecovery, type SinkRecoveryOptions, sinkRecoveryOptions } from '../sink-recovery.js';
import { Task } from '../task/task.js';
import { resolveTopic } from '../topic-names.js';
import type { Topology } from '../topology/topology.js';
import { upstreamFirst } from '../topology/upstream-first.js';
import { type EngineTask, lagOf, runTaskBatch } from './embedded-batch.js';
import { OutputWriter } from './output-writer.js';
import { SourcePump } from './source-pump.js';
import type { StreamsAppOptions } from './streams-app-options.js';

/** What the embedded runtime needs from the app that owns it. */
export interface EmbeddedHost {
  /** True while the app is RUNNING (whenDone returns as soon as it is not). */
  isRunning(): boolean;
  /** The error that failed the app, if any. */
  failure(): Error | undefined;
  /** Fails the app (moves it to ERROR); the runtime stops its loop itself. */
  fail(error: Error): void;
}

/**
 * The embedded runtime of a StreamsApp: the topology on an in-memory log in this process, one task
 * per input partition, source connectors pumped into the log, one processing loop over every task
 * (batches, outputs written to the log or to sink connectors, commits on the commit interval).
 */
export class EmbeddedRuntime {
  readonly tasks: EngineTask[] = [];
  private readonly pumps: SourcePump[] = [];
  private readonly abort = new AbortController();
  private readonly recovery: SinkRecoveryOptions;
  /** True while a batch is processed and its outputs written: whenDone must not resolve then. */
  private writing = false;
  private writer: OutputWriter | undefined;
  private loop: Promise<void> | undefined;
  private lastCommit = 0;
  private readonly clock: () => number;

  constructor(
    private readonly topology: Topology,
    private readonly options: StreamsAppOptions,
    readonly log: EmbeddedLog,
    private readonly deadLetterTopic: string,
    private readonly host: EmbeddedHost,
  ) {
    this.clock = options.clock ?? Date.now;
    this.recovery = sinkRecoveryOptions(options.sinkRetry, this.abort.signal);
  }

  /** Creates the declared topics, builds one task per partition and the source pumps. */
  async build(): Promise<void> {
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
        this.tasks.push({ task, inputs });
      }
    }
    for (const node of this.topology.nodes()) {
      if (node.kind !== 'source' || !node.connector) continue;
      const logTopic = resolve(node.topic);
      const readers = this.tasks.filter((t) => t.inputs.some((i) => i.logTopic === logTopic));
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
  }

  /** Starts the processing loop (after build). */
  run(): void {
    this.lastCommit = this.clock();
    this.loop = this.runLoop();
  }

  /** Stops the loop; the app is failing. */
  stop(): void {
    this.abort.abort();
  }

  /** See StreamsApp.whenDone: sources ended and every task caught up with its inputs. */
  async whenDone(): Promise<void> {
    for (;;) {
      const failure = this.host.failure();
      if (failure) throw failure;
      if (!this.host.isRunning()) return;
      const sourcesDone = this.pumps.every((p) => p.isDone);
      const drained =
        !this.writing &&
        this.tasks.every((t) => lagOf(this.log, t) === 0 && t.task.pendingOutputCount() === 0);
      if (sourcesDone && drained) {
        // A second look after a turn of the loop: the last batch may have written to a topic another task reads.
        await new Promise((r) => setTimeout(r, 10));
        if (!this.writing && this.tasks.every((t) => lagOf(this.log, t) === 0)) return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** See StreamsApp.endOfInput. */
  async endOfInput(): Promise<void> {
    await this.whenDone();
    if (!this.host.isRunning()) throw new TributaryError('endOfInput() needs a running app.');
    const parts = new Map(this.tasks.map(({ task }) => [task.subtopology.id, task.subtopology]));
    for (const part of upstreamFirst([...parts.values()])) {
      // The loop writes what endOfInput forwarded (pending outputs) and downstream tasks read it.
      for (const { task } of this.tasks) if (task.subtopology.id === part.id) task.endOfInput();
      await this.whenDone();
    }
  }

  /** Counters of all tasks, sinks and sources, summed by name. */
  metrics(): Map<string, number> {
    const sum = new Map<string, number>();
    const add = (k: string, v: number) => sum.set(k, (sum.get(k) ?? 0) + v);
    for (const { task } of this.tasks) for (const [k, v] of task.counters) add(k, v);
    for (const [k, v] of this.writer?.counters ?? []) add(k, v);
    for (const pump of this.pumps) add(`source.${pump.connector.name}.records`, pump.recordsIn);
    if (this.log.truncatedUnread() > 0) add('log.truncated-unread', this.log.truncatedUnread());
    return sum;
  }

  /** The raw store `name` of the task for `partition`, if this app has it. */
  store(name: string, partition: number): StateStore | undefined {
    for (const { task } of this.tasks) {
      if (task.partition !== partition) continue;
      const store = task.allStores().get(name);
      if (store) return store;
    }
    return undefined;
  }

  /**
   * Stops sources and the loop; when the app had started, flushes sinks and stores, commits
   * positions and closes sinks and tasks.
   */
  async close(started: boolean): Promise<Error | undefined> {
    this.abort.abort();
    await this.loop;
    for (const pump of this.pumps) await pump.connector.close().catch(() => {});
    if (!started) return undefined;
    // Everything is closed even when a step fails (a full disk at the last commit); the first
    // failure is returned for close() to report.
    let failure: Error | undefined;
    const note = (error: unknown) => {
      failure ??= error as Error;
    };
    // A task's positions are committed only after its stores flushed: never ahead of its state.
    await this.commit().catch(note);
    for (const node of this.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.close) await node.connector.close().catch(() => {});
    }
    for (const { task } of this.tasks) await task.close().catch(note);
    return failure;
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
    const writer = this.writer!;
    try {
      while (!this.abort.signal.aborted) {
        let progressed = 0;
        const now = this.clock();
        for (const engineTask of this.tasks) {
          engineTask.task.punctuateWallClock(now);
          this.writing = true; // outputs of a batch may still be on their way (a sink recovering)
          progressed += await runTaskBatch(this.log, engineTask, writer, batchSize);
          this.writing = false;
        }
        const failed = this.pumps.find((p) => p.error !== undefined);
        if (failed) throw failed.error;
        if (now - this.lastCommit >= commitEvery) await this.commit();
        if (progressed === 0) await this.log.waitForAppend(20);
      }
    } catch (error) {
      this.host.fail(error as Error);
      this.abort.abort();
    }
  }

  private async commit(): Promise<void> {
    const appId = this.options.applicationId;
    for (const node of this.topology.nodes()) {
      if (node.kind === 'sink' && node.connector?.flush)
        await flushWithRecovery(node.connector, this.recovery);
    }
    for (const { task, inputs } of this.tasks) {
      await task.flushStores();
      for (const input of inputs) this.log.commit(appId, input.logTopic, input.partition, input.position);
    }
    this.lastCommit = this.clock();
  }
}
