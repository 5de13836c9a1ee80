import kafkajs, { type Consumer, type ConsumerRunConfig } from 'kafkajs';
import type {
  ConsumerHandlers,
  ConsumerPort,
  FetchedBatch,
  PartitionOffset,
  TopicPartitions,
} from '../../runtime/kafka/client-port.js';
import { ConsumerCrashes } from './consumer-crash.js';
import {
  COORDINATOR_OUTAGE_LIMIT_MS,
  isCoordinatorGone,
  isCoordinatorUnavailable,
} from './coordinator-errors.js';
import { toFetched } from './fetched-message.js';

function pauseArg(partitions: TopicPartitions) {
  return [...partitions].map(([topic, list]) => ({ topic, partitions: [...list] }));
}

/** Commit errors that only mean "the group is rebalancing; these partitions may move". */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

/**
 * The {@link ConsumerPort} on a kafkajs group consumer. Besides translating calls, it keeps the consumer
 * going where kafkajs would not: a crash kafkajs does not restart after is restarted here when its cause
 * is transient, or reported (handlers.onFailure) when not (see consumer-crash.ts); and when the group's
 * coordinator died, the consumer joins the group again to find the new one (see rejoinForCoordinator).
 */
export class KafkajsConsumer implements ConsumerPort {
  /** When commits started failing because the group coordinator was away (see coordinator-errors.ts). */
  private coordinatorAwaySince: number | undefined;
  private readonly crashes: ConsumerCrashes;
  private handlers: ConsumerHandlers | undefined;
  /** How run() started kafkajs' consumer, to run it again. */
  private runConfig: ConsumerRunConfig | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** A restart of ours is under way (stop, pause, run again). */
  private restarting = false;
  /** kafkajs announced a restart of its own (CRASH with restart=true) that has not joined the group yet. */
  private kafkajsRestartPending = false;
  /** The group coordinator kafkajs talks to is gone: the next batch ends with a rejoin. */
  private coordinatorGone = false;
  private closed = false;

  constructor(
    private readonly consumer: Consumer,
    groupId: string,
  ) {
    this.crashes = new ConsumerCrashes(groupId);
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topics: readonly string[]): Promise<void> {
    return this.consumer.subscribe({ topics: [...topics], fromBeginning: true });
  }

  async run(handlers: ConsumerHandlers): Promise<void> {
    this.handlers = handlers;
    const { GROUP_JOIN, REBALANCING, END_BATCH_PROCESS, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      this.crashes.recovered();
      this.kafkajsRestartPending = false;
      this.coordinatorAwaySince = undefined;
      this.coordinatorGone = false;
      const assignment = new Map<string, number[]>();
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment))
        assignment.set(topic, partitions);
      handlers.onAssignment(assignment, event.payload.memberId);
    });
    this.consumer.on(REBALANCING, () => handlers.onRebalance());
    // kafkajs moves past fetches that held only transaction markers or aborted records without
    // calling eachBatch; this event is the only sign of it.
    this.consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0 && payload.lastOffset !== null && payload.lastOffset !== undefined)
        handlers.onSkipped?.({
          topic: payload.topic,
          partition: payload.partition,
          offset: Number(payload.lastOffset) + 1,
        });
    });
    this.consumer.on(CRASH, ({ payload }) => this.onCrash(payload.error, payload.restart));
    this.runConfig = {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        // Batches fetched before the coordinator was found gone wait for the rejoin (kafkajs fetches them again).
        if (this.coordinatorGone) throw rejoinForCoordinator();
        const fetched: FetchedBatch = {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map(toFetched),
          highWatermark: Number(batch.highWatermark),
          // Past trailing transaction markers and aborted records, unlike the last message's offset.
          nextOffset: Number(batch.lastOffset()) + 1,
        };
        // A failed heartbeat here is not the batch's failure: kafkajs heartbeats again right after the
        // batch and handles the error itself (rejoins the group, or restarts after its retries). Only a
        // coordinator that is gone for good is acted on, after the batch.
        await handlers.eachBatch(fetched, () =>
          heartbeat().catch((error: unknown) => {
            if (isCoordinatorGone(error)) this.coordinatorGone = true;
          }),
        );
        // Moves kafkajs' fetch position past the batch; offsets are committed by the engine, not here.
        resolveOffset(batch.lastOffset());
        if (this.coordinatorGone) throw rejoinForCoordinator();
      },
    };
    await this.consumer.run(this.runConfig);
  }

  /**
   * kafkajs restarts a consumer that crashed on a retriable error; after any other it stays stopped.
   * Runs inside kafkajs' CRASH emit, before kafkajs schedules its own restart: what follows is deferred.
   */
  private onCrash(error: Error, kafkajsRestarts: boolean): void {
    if (this.closed) return;
    this.kafkajsRestartPending = kafkajsRestarts;
    const decision = this.crashes.decide(error, kafkajsRestarts);
    setImmediate(() => {
      if (this.closed) return;
      if (decision.action === 'fail') this.handlers?.onFailure?.(decision.error);
      else if (decision.action === 'wait') this.handlers?.onRestarting?.(error);
      else this.restart(decision.inMs, error);
    });
  }

  /**
   * Stops kafkajs' consumer (if it still runs) and runs it again after `delayMs`: it joins the group anew,
   * looking up the coordinator. One restart at a time, none while kafkajs restarts by itself. Not awaited:
   * stopping waits for the batch in progress, and the caller may be inside it.
   */
  private restart(delayMs: number, cause: Error): void {
    if (this.closed || this.restarting || this.kafkajsRestartPending || !this.runConfig) return;
    const config = this.runConfig;
    this.restarting = true;
    this.handlers?.onRestarting?.(cause);
    (async () => {
      await this.consumer.stop();
      await new Promise((resolve) => {
        this.restartTimer = setTimeout(resolve, delayMs);
      });
      // A crash reported meanwhile (kafkajs restarting by itself) or a close wins over this restart.
      if (this.closed || this.kafkajsRestartPending) return;
      // A run that fails to join reports a CRASH, handled like any other.
      await this.consumer.run(config);
    })()
      .catch((error: unknown) => {
        if (!this.closed) this.handlers?.onFailure?.(error as Error);
      })
      .finally(() => {
        this.restarting = false;
      });
  }

  pause(partitions: TopicPartitions): void {
    this.consumer.pause(pauseArg(partitions));
  }

  resume(partitions: TopicPartitions): void {
    this.consumer.resume(pauseArg(partitions));
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<boolean> {
    if (offsets.length === 0) return true;
    // A rejoin is under way: committing to the dead coordinator only costs kafkajs' retries.
    if (this.coordinatorGone) return false;
    try {
      await this.consumer.commitOffsets(
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
      );
      this.coordinatorAwaySince = undefined;
      return true;
    } catch (error) {
      // kafkajs' retrier wraps the broker's error (KafkaJSNonRetriableError) and keeps its type in `cause`.
      const wrapped = (error as { cause?: { type?: string } }).cause;
      if (REBALANCE_ERRORS.has((error as { type?: string }).type ?? wrapped?.type ?? '')) return false;
      if (isCoordinatorUnavailable(error)) {
        // kafkajs would keep committing to a dead coordinator: join again to find the new one.
        if (isCoordinatorGone(error)) this.coordinatorGone = true;
        this.coordinatorAwaySince ??= Date.now();
        if (Date.now() - this.coordinatorAwaySince < COORDINATOR_OUTAGE_LIMIT_MS) return false;
      }
      throw error;
    }
  }

  seek(position: PartitionOffset): void {
    this.consumer.seek({
      topic: position.topic,
      partition: position.partition,
      offset: String(position.offset),
    });
  }

  disconnect(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    return this.consumer.disconnect();
  }
}

/**
 * The error a batch ends with to make kafkajs join the group again: kafkajs looks up the group coordinator
 * only when it joins and keeps talking to a dead one otherwise (commits and heartbeats fail until its
 * retries run out, then it restarts as a new member, which waits for the old member's session to expire).
 * A "not coordinator" answer is what kafkajs rejoins on at once, keeping its member id, so the new
 * coordinator (which loaded the group) lets it straight back in. Not a failure of the batch: it was
 * processed and its offset resolved.
 */
function rejoinForCoordinator(): Error {
  const notCoordinator = Object.assign(
    new Error('The group coordinator is gone (its broker left the cluster): joining the group again'),
    { type: 'NOT_COORDINATOR_FOR_GROUP', code: 16, retriable: true },
  );
  // kafkajs spreads its error classes into its CommonJS exports: Node's ESM loader cannot name them.
  return new kafkajs.KafkaJSProtocolError(notCoordinator);
}
