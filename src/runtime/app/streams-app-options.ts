import type { EmbeddedLog } from '../embedded/embedded-log.js';
import type { ErrorPolicies } from '../error-policy.js';
import type { KafkaOptions } from '../kafka/kafka-options.js';
import type { SinkRetrySetting } from '../sink-recovery.js';
import type { StoreFactory } from '../task/task.js';

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
