import { TableSourceProcessor } from '../operators/table-source.js';
import type { SourceConnector } from '../runtime/connector.js';
import type { AnySerde } from '../runtime/serde.js';
import type { TimestampExtractor } from '../runtime/topology/nodes.js';
import type { Topology } from '../runtime/topology/topology.js';
import type { StoreSpec } from '../state/store.js';
import { BuilderContext } from './builder-context.js';
import { KStream } from './kstream.js';
import { KTable } from './ktable.js';

/** Options of {@link StreamsBuilder.stream} and {@link StreamsBuilder.table}. */
export interface StreamOptions<K, V> {
  /** Node name (default "source-N"). */
  name?: string;
  /** For a connector source: the topic it feeds (default: the connector's name). */
  topic?: string;
  /** Partition count the topology expects (checked against joins; used when the runtime creates the topic). */
  partitions?: number;
  /** Event time of a record (default: the record's timestamp: Kafka's, or the connector's). */
  timestampExtractor?: TimestampExtractor<K, V>;
  /** Serdes for Kafka topics (the embedded log carries values as they are). */
  key?: AnySerde<K>;
  value?: AnySerde<V>;
}

/** Options of {@link StreamsBuilder}. */
export interface StreamsBuilderOptions {
  /** Backend of stores the DSL creates when an operator does not say: 'memory' (default) or 'persistent'. */
  defaultStore?: StoreSpec['backend'];
}

/**
 * The entry point of the DSL: declares sources and returns typed streams and tables; `build()`
 * validates and returns the Topology for a runtime (StreamsApp or TopologyTestDriver).
 *
 * ```ts
 * const b = new StreamsBuilder();
 * b.stream<string, Packet>('network-packets')
 *   .groupByKey()
 *   .windowedBy(windows.hopping({ size: '5m', advance: '1m', grace: '30s' }))
 *   .count()
 *   .toStream()
 *   .to('packet-counts');
 * const topology = b.build();
 * ```
 */
export class StreamsBuilder {
  private readonly ctx: BuilderContext;

  constructor(options: StreamsBuilderOptions = {}) {
    this.ctx = new BuilderContext(options.defaultStore);
  }

  /** A stream of the records of a topic. */
  stream<K = unknown, V = unknown>(topic: string, options?: StreamOptions<K, V>): KStream<K, V>;
  /** A stream of the records an external source connector produces (tshark, an Observable...). */
  stream<K, V>(source: SourceConnector<K, V>, options?: StreamOptions<K, V>): KStream<K, V>;
  stream<K, V>(source: string | SourceConnector<K, V>, options: StreamOptions<K, V> = {}): KStream<K, V> {
    const name = this.ctx.name('source', options.name);
    const connector = typeof source === 'string' ? undefined : source;
    const topic = typeof source === 'string' ? source : (options.topic ?? source.name);
    this.ctx.topology.addSource<K, V>(name, topic, {
      ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
      ...(options.timestampExtractor ? { timestampExtractor: options.timestampExtractor } : {}),
      ...(connector ? { connector } : {}),
      ...(options.key ? { keySerde: options.key } : {}),
      ...(options.value ? { valueSerde: options.value } : {}),
    });
    return new KStream<K, V>(this.ctx, name, false);
  }

  /** A table of the latest value per key of a topic (null values delete), materialized in a store. */
  table<K = unknown, V = unknown>(
    topic: string,
    options: StreamOptions<K, V> & { storeName?: string } = {},
  ): KTable<K, V> {
    const stream = this.stream<K, V>(topic, options);
    const name = this.ctx.name('table');
    const storeName = options.storeName ?? `${name}-store`;
    this.ctx.topology.addProcessor(name, () => new TableSourceProcessor<K, V>(storeName), stream.nodeName, {
      label: 'table',
      terminal: true,
    });
    this.ctx.topology.addStateStore(
      { name: storeName, kind: 'key-value', backend: this.ctx.defaultStoreBackend },
      name,
    );
    return new KTable<K, V>(this.ctx, name, storeName);
  }

  /** Declares a state store for custom processors (`stream.process(supplier, spec.name)`). */
  addStateStore(spec: StoreSpec): this {
    this.ctx.topology.addStateStore(spec);
    return this;
  }

  /** Validates the graph (naming the node at fault) and returns the Topology. */
  build(): Topology {
    return this.ctx.topology.validate();
  }
}
