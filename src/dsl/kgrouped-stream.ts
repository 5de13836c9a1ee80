import type { Aggregator } from '../aggregations/aggregator.js';
import { AggregateProcessor } from '../operators/aggregate.js';
import type {
  SessionWindowSpec,
  SlidingWindowSpec,
  TimeWindowSpec,
} from '../operators/windows/window-specs.js';
import {
  type AggregateOptions,
  countAggregator,
  reduceAggregator,
  toAggregator,
} from './aggregation-args.js';
import type { BuilderContext } from './builder-context.js';
import { KStream } from './kstream.js';
import { KTable } from './ktable.js';
import { SessionWindowedKStream, TimeWindowedKStream } from './windowed-kstream.js';

/**
 * A stream grouped by key, ready for an aggregation. Created by groupByKey()/groupBy(); when the
 * key changed upstream, the records are repartitioned by key before they are aggregated.
 */
export class KGroupedStream<K, V> {
  /** @internal */
  constructor(
    private readonly ctx: BuilderContext,
    private readonly parent: string,
    private readonly needsRepartition: boolean,
  ) {}

  /** Number of records per key. */
  count(options: AggregateOptions = {}): KTable<K, number> {
    return this.aggregate(countAggregator<V>(), { ...options, name: options.name ?? this.ctx.name('count') });
  }

  /** Combines the values of each key with `reducer`. */
  reduce(reducer: (aggregate: V, value: V) => V, options: AggregateOptions = {}): KTable<K, V> {
    return this.aggregate(reduceAggregator(reducer), {
      ...options,
      name: options.name ?? this.ctx.name('reduce'),
    });
  }

  /** Aggregates each key with an Aggregator, e.g. `stats.combine({ n: stats.count(), bytes: stats.sum(p => p.len) })`. */
  aggregate<Acc, Out>(aggregator: Aggregator<V, Acc, Out>, options?: AggregateOptions): KTable<K, Out>;
  /** Aggregates each key Kafka Streams-style, from an initial value and an adder. */
  aggregate<A>(
    initializer: () => A,
    adder: (key: K, value: V, aggregate: A) => A,
    options?: AggregateOptions,
  ): KTable<K, A>;
  aggregate(...args: unknown[]): KTable<K, unknown> {
    const { aggregator, options } = toAggregator<K, V>(args);
    const name = options.name ?? this.ctx.name('aggregate');
    const storeName = options.storeName ?? `${name}-store`;
    const input = this.input();
    this.ctx.topology.addProcessor(name, () => new AggregateProcessor(storeName, aggregator), input, {
      label: 'aggregate',
      terminal: true,
    });
    this.ctx.topology.addStateStore(
      { name: storeName, kind: 'key-value', backend: options.store ?? this.ctx.defaultStoreBackend },
      name,
    );
    return new KTable<K, unknown>(this.ctx, name, storeName);
  }

  /** Windows the grouped stream in time: tumbling, hopping or sliding windows. */
  windowedBy(spec: TimeWindowSpec | SlidingWindowSpec): TimeWindowedKStream<K, V>;
  /** Windows the grouped stream into activity sessions. */
  windowedBy(spec: SessionWindowSpec): SessionWindowedKStream<K, V>;
  windowedBy(
    spec: TimeWindowSpec | SlidingWindowSpec | SessionWindowSpec,
  ): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (spec.type === 'session') return new SessionWindowedKStream<K, V>(this.ctx, () => this.input(), spec);
    return new TimeWindowedKStream<K, V>(this.ctx, () => this.input(), spec);
  }

  /** The node to aggregate from: the parent, or a repartition of it when the key changed. */
  private input(): string {
    if (!this.needsRepartition) return this.parent;
    const stream = new KStream<K, V>(this.ctx, this.parent, true).repartition();
    return stream.nodeName;
  }
}
