import type { StoreSpec } from '../../state/store.js';
import type { SinkConnector, SourceConnector } from '../connector.js';
import type { ProcessorSupplier } from '../processor.js';
import type { AnySerde } from '../serde.js';
import type { Topology } from './topology.js';

/** Returns a record's event time in ms; given the value as read from the source. */
export type TimestampExtractor<K, V> = (key: K, value: V, recordTimestamp: number) => number;

// biome-ignore lint/suspicious/noExplicitAny: the graph stores nodes of every key/value type.
type AnyValue = any;

/** Reads a topic: one in the embedded log or Kafka, or the topic a connector writes into. */
export interface SourceNode {
  readonly kind: 'source';
  readonly name: string;
  readonly topic: string;
  /** Partition count the topology expects for the topic, when declared. */
  readonly partitions?: number | undefined;
  readonly timestampExtractor?: TimestampExtractor<AnyValue, AnyValue> | undefined;
  /** An external source feeding this topic (tshark, an Observable...). */
  readonly connector?: SourceConnector<AnyValue, AnyValue> | undefined;
  readonly keySerde?: AnySerde<AnyValue> | undefined;
  readonly valueSerde?: AnySerde<AnyValue> | undefined;
}

/** Runs a Processor (every built-in operator and every user processor). */
export interface ProcessorNode {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<AnyValue, AnyValue, AnyValue, AnyValue>;
  /** Names of the stores this processor may open. */
  readonly stores: string[];
  /** Short label for describe(), e.g. "map" or "window-aggregate (hopping 5m/1m, grace 30s)". */
  readonly label: string;
  /** May end a stream without a sink (for-each, user processors, aggregates whose store is the output). */
  readonly terminal: boolean;
  /**
   * Forwards every record unchanged (merge, branch outputs, toStream...). Tasks wire its parents
   * straight to its children, so it costs nothing per record.
   */
  readonly passThrough?: boolean | undefined;
  /** Checked at build(); returns an error message or undefined. */
  readonly validate?: ((topology: Topology) => string | undefined) | undefined;
}

/** Writes to a topic, or hands records to an external sink connector. */
export interface SinkNode {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic?: string | undefined;
  readonly connector?: SinkConnector<AnyValue, AnyValue> | undefined;
  readonly keySerde?: AnySerde<AnyValue> | undefined;
  readonly valueSerde?: AnySerde<AnyValue> | undefined;
  /** Chooses the partition for a record; default: by key hash. */
  readonly partitioner?: ((key: AnyValue, value: AnyValue, partitions: number) => number) | undefined;
}

/** Any node of a topology graph. */
export type TopologyNode = SourceNode | ProcessorNode | SinkNode;

/** A declared topic created by the topology itself (repartition topics), prefixed with the applicationId at run time. */
export interface InternalTopic {
  readonly name: string;
  readonly partitions?: number | undefined;
}

export type { StoreSpec };
