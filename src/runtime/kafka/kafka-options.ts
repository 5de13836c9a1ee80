import type { ConnectionOptions } from 'node:tls';
import type { Registry } from 'prom-client';
import type { AnySerde } from '../serde.js';
import type { KafkaClientPort } from './client-port.js';

/** SASL credentials, passed to the Kafka client as they are. */
export interface KafkaSasl {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** Where the cluster is and how to reach it. */
export interface KafkaConnection {
  /** Bootstrap servers, e.g. ["127.0.0.1:9092"]. */
  readonly brokers: readonly string[];
  /** Client id in broker logs and quotas. Default "tributary". */
  readonly clientId?: string;
  /** TLS: true for the system CAs, or Node TLS options (ca, cert, key...). */
  readonly ssl?: boolean | ConnectionOptions;
  readonly sasl?: KafkaSasl;
}

/** How far a store's restore from its changelog partition is. */
export interface RestoreProgress {
  readonly store: string;
  readonly partition: number;
  /** Changelog records applied so far. */
  readonly restored: number;
  /** Changelog records to apply (end offset minus start offset; compaction may leave fewer). */
  readonly total: number;
  readonly done: boolean;
}

/** Processing guarantee of a StreamsApp on Kafka. */
export type ProcessingGuarantee = 'at-least-once' | 'exactly-once';

/** The `kafka` option of StreamsApp: run on a Kafka cluster instead of the embedded log. */
export interface KafkaOptions extends KafkaConnection {
  /** Default 'at-least-once': outputs are acknowledged before input offsets are committed. */
  readonly guarantee?: ProcessingGuarantee;
  /** Replication factor of topics the app creates. Default: the broker's default. */
  readonly replicationFactor?: number;
  /**
   * Create missing source topics (with the source's declared partitions, or `partitions`).
   * Default false: a missing source topic is an error.
   */
  readonly createSourceTopics?: boolean;
  /** Serde of keys on topics whose source/sink declares none. Default JSON. */
  readonly defaultKeySerde?: AnySerde<unknown>;
  /** Serde of values on topics whose source/sink declares none. Default JSON. */
  readonly defaultValueSerde?: AnySerde<unknown>;
  /**
   * How long the group waits for a silent member before giving its partitions to others (ms).
   * Default 30,000 (kafkajs); the broker allows 6,000 and up by default.
   */
  readonly sessionTimeoutMs?: number;
  /** Called as stores are restored from their changelogs (at start and after rebalances). */
  readonly onRestoreProgress?: (progress: RestoreProgress) => void;
  /** Close the app gracefully on SIGTERM and SIGINT. Default false. */
  readonly handleSignals?: boolean;
  /** prom-client registry for the app's metrics. Default: a new one (StreamsApp.metricsRegistry). */
  readonly metricsRegistry?: Registry;
  /**
   * Interactive queries: this instance's query endpoint, "host:port" (like Kafka Streams'
   * application.server). Advertised to the other instances through the group assignment, so
   * `queryMetadataForKey` can name the instance that holds a key. Default: none.
   */
  readonly applicationServer?: string;
  /**
   * How often records already consumed and committed are deleted from the repartition topics this
   * instance reads (Kafka's DeleteRecords, like Kafka Streams' repartition.purge.interval.ms), in ms.
   * Repartition topics keep records without a time limit, so without this they only grow.
   * At most once per interval, after a successful commit. Default 30,000; 0 turns purging off.
   */
  readonly repartitionPurgeIntervalMs?: number;
  /** Another client implementation. Default: the kafkajs client. */
  readonly client?: KafkaClientPort;
}
