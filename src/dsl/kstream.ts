import type { Observable } from 'rxjs';
import { toObservableSink } from '../connectors/rx/to-observable.js';
import { BranchByLayerProcessor } from '../operators/branch-by-layer.js';
import { FilterProcessor } from '../operators/filter.js';
import { FlatMapProcessor } from '../operators/flat-map.js';
import { FlatMapValuesProcessor } from '../operators/flat-map-values.js';
import { ForEachProcessor } from '../operators/for-each.js';
import { MapProcessor } from '../operators/map.js';
import { MapValuesProcessor } from '../operators/map-values.js';
import { PassThroughProcessor } from '../operators/pass-through.js';
import { PeekProcessor } from '../operators/peek.js';
import { SelectKeyProcessor } from '../operators/select-key.js';
import type { JoinWindowSpec } from '../operators/windows/window-specs.js';
import type { SinkConnector } from '../runtime/connector.js';
import type { ProcessorSupplier } from '../runtime/processor.js';
import type { KeyValue, StreamRecord } from '../runtime/record.js';
import type { AnySerde } from '../runtime/serde.js';
import { BranchedKStream } from './branched-kstream.js';
import type { BuilderContext } from './builder-context.js';
import { addStreamJoin, addTableJoin, type StreamJoinOptions } from './joins.js';
import { KGroupedStream } from './kgrouped-stream.js';
import type { KTable } from './ktable.js';

/** Options of {@link KStream.to} when writing to a topic. */
export interface ToTopicOptions<K, V> {
  name?: string;
  key?: AnySerde<K>;
  value?: AnySerde<V>;
  partitioner?: (key: K, value: V, partitions: number) => number;
}

/** Options of {@link KStream.repartition}. */
export interface RepartitionOptions {
  /** Base of the node and topic names; the topic is "<applicationId>-<name>-repartition". */
  name?: string;
  partitions?: number;
}

/** Options of {@link KStream.branchByLayer}. */
export interface BranchByLayerOptions<K, V> {
  /** Returns the layer (or any routing name) of a record. Default: `value.topLayer`. */
  layerOf?: (key: K, value: V) => string | undefined;
  /** Name of the output that receives everything else. Default "default". */
  defaultOutput?: string;
  /** Base name of the nodes. */
  name?: string;
}

/** Streams keyed by output name, returned by split()/branchByLayer(). */
export type BranchedStreams<Name extends string, K, V> = { readonly [N in Name]: KStream<K, V> };

/**
 * An unbounded stream of keyed records. Each operator adds a node to the topology and returns a
 * new stream; nothing runs until the topology is given to a runtime. Key and value types flow
 * through every step.
 */
export class KStream<K, V> {
  /** @internal */
  constructor(
    protected readonly ctx: BuilderContext,
    /** The node whose output this stream is. */
    readonly nodeName: string,
    /** True when an upstream step may have changed the key (a stateful step then repartitions). */
    readonly keyChanged = false,
  ) {}

  /** Maps each record to a new key and value. Marks the key as changed (stateful steps repartition). */
  map<K2, V2>(mapper: (key: K, value: V) => KeyValue<K2, V2>): KStream<K2, V2> {
    return this.add<K2, V2>('map', () => new MapProcessor(mapper), true);
  }

  /** Maps each value; the key is kept. */
  mapValues<V2>(mapper: (value: V, key: K) => V2): KStream<K, V2> {
    return this.add<K, V2>('map-values', () => new MapValuesProcessor(mapper));
  }

  /** Keeps the records for which the predicate holds. */
  filter(predicate: (key: K, value: V) => boolean): KStream<K, V> {
    return this.add<K, V>('filter', () => new FilterProcessor(predicate));
  }

  /** Keeps the records for which the predicate does not hold. */
  filterNot(predicate: (key: K, value: V) => boolean): KStream<K, V> {
    return this.add<K, V>('filter-not', () => new FilterProcessor(predicate, true));
  }

  /** Maps each record to zero or more records. Marks the key as changed. */
  flatMap<K2, V2>(mapper: (key: K, value: V) => Iterable<KeyValue<K2, V2>>): KStream<K2, V2> {
    return this.add<K2, V2>('flat-map', () => new FlatMapProcessor(mapper), true);
  }

  /** Maps each value to zero or more values; the key is kept. */
  flatMapValues<V2>(mapper: (value: V, key: K) => Iterable<V2>): KStream<K, V2> {
    return this.add<K, V2>('flat-map-values', () => new FlatMapValuesProcessor(mapper));
  }

  /** Sets a new key computed from each record. Marks the key as changed. */
  selectKey<K2>(selector: (key: K, value: V) => K2): KStream<K2, V> {
    return this.add<K2, V>('select-key', () => new SelectKeyProcessor(selector), true);
  }

  /** Calls `action` for each record and passes it on unchanged. */
  peek(action: (key: K, value: V, record: StreamRecord<K, V>) => void): KStream<K, V> {
    return this.add<K, V>('peek', () => new PeekProcessor(action));
  }

  /** Calls `action` for each record; ends the stream. */
  forEach(
    action: (key: K, value: V, record: StreamRecord<K, V>) => void,
    options: { name?: string } = {},
  ): void {
    const name = this.ctx.name('for-each', options.name);
    this.ctx.topology.addProcessor(name, () => new ForEachProcessor(action), this.nodeName, {
      label: 'for-each',
      terminal: true,
    });
  }

  /** One stream with the records of both. */
  merge(other: KStream<K, V>, options: { name?: string } = {}): KStream<K, V> {
    const name = this.ctx.name('merge', options.name);
    this.ctx.topology.addProcessor(
      name,
      () => new PassThroughProcessor<K, V>(),
      [this.nodeName, other.nodeName],
      { passThrough: true, label: 'merge' },
    );
    return new KStream<K, V>(this.ctx, name, this.keyChanged || other.keyChanged);
  }

  /**
   * Splits the stream into named branches: each record goes to the first branch whose predicate
   * holds, else to the default branch (if any).
   *
   * ```ts
   * const { big, small } = stream.split().branch('big', (k, v) => v.len > 1000).defaultBranch('small');
   * ```
   */
  split(options: { name?: string } = {}): BranchedKStream<K, V, never> {
    return new BranchedKStream<K, V, never>(
      this.ctx,
      this.nodeName,
      this.ctx.name('split', options.name),
      this.keyChanged,
    );
  }

  /**
   * Routes each record by its top protocol layer (or any name `layerOf` returns) to one of a fixed
   * set of outputs; any other name goes to the default output. Outputs are fixed when the topology
   * is built; record contents never create one.
   *
   * ```ts
   * const byLayer = packets.branchByLayer(['tcp', 'udp', 'dns']);
   * byLayer.tcp.to('packets.tcp');  byLayer.default.to('packets.other');
   * ```
   */
  branchByLayer<const L extends string, D extends string = 'default'>(
    layers: readonly L[],
    options: BranchByLayerOptions<K, V> & { defaultOutput?: D } = {},
  ): BranchedStreams<L | D, K, V> {
    const base = this.ctx.name('branch-by-layer', options.name);
    const defaultOutput = (options.defaultOutput ?? 'default') as D;
    if (new Set(layers).size !== layers.length) throw new Error(`branchByLayer(${base}): layer names repeat`);
    if ((layers as readonly string[]).includes(defaultOutput)) {
      throw new Error(`branchByLayer(${base}): "${defaultOutput}" is both a layer and the default output`);
    }
    const layerOf = options.layerOf ?? defaultLayerOf;
    const childOf = new Map<string, string>(layers.map((l) => [l, `${base}-${l}`]));
    const defaultChild = `${base}-${defaultOutput}`;
    this.ctx.topology.addProcessor(
      base,
      () =>
        new BranchByLayerProcessor<K, V>(
          layerOf as (k: K, v: V) => string | undefined,
          childOf,
          defaultChild,
        ),
      this.nodeName,
      { label: `branch-by-layer [${[...layers, defaultOutput].join(', ')}]` },
    );
    const out: Record<string, KStream<K, V>> = {};
    for (const output of [...layers, defaultOutput]) {
      const child = `${base}-${output}`;
      this.ctx.topology.addProcessor(child, () => new PassThroughProcessor<K, V>(), base, {
        passThrough: true,
        label: `branch ${output}`,
      });
      out[output] = new KStream<K, V>(this.ctx, child, this.keyChanged);
    }
    return out as BranchedStreams<L | D, K, V>;
  }

  /**
   * Routes by layer straight to topics: `{ tcp: 'packets.tcp', ..., default: 'packets.other' }`.
   * Only these topics are ever written.
   */
  routeByLayer<const L extends string>(
    topics: { readonly [P in L]: string } & { readonly default: string },
    options: Omit<BranchByLayerOptions<K, V>, 'defaultOutput'> = {},
  ): void {
    const layers = Object.keys(topics).filter((l) => l !== 'default') as Exclude<L, 'default'>[];
    const branches = this.branchByLayer(layers, options) as Record<string, KStream<K, V>>;
    for (const [output, stream] of Object.entries(branches)) {
      stream.to((topics as Record<string, string>)[output]!);
    }
  }

  /** Writes every record to a topic (embedded log or Kafka), or hands it to a sink connector. Ends the stream. */
  to(target: string | SinkConnector<K, V>, options: ToTopicOptions<K, V> = {}): void {
    const name = this.ctx.name('sink', options.name);
    this.ctx.topology.addSink<K, V>(name, target, this.nodeName, {
      ...(options.key ? { keySerde: options.key } : {}),
      ...(options.value ? { valueSerde: options.value } : {}),
      ...(options.partitioner ? { partitioner: options.partitioner } : {}),
    });
  }

  /**
   * Taps the stream as an rxjs Observable (dashboards, alerts, glue). Records are delivered in
   * batches at batch boundaries, outside the hot path. Ends this branch of the stream.
   */
  toObservable(options: { name?: string } = {}): Observable<StreamRecord<K, V>> {
    const { sink, observable } = toObservableSink<K, V>(options.name ?? this.ctx.name('observable'));
    this.to(sink, { name: sink.name });
    return observable;
  }

  /**
   * Writes through a repartition topic so records are partitioned by their current key
   * (a stateful step after a key change does this by itself).
   */
  repartition(options: RepartitionOptions = {}): KStream<K, V> {
    const base = this.ctx.name('repartition', options.name);
    const topic = `${base}-repartition`;
    this.ctx.topology.addInternalTopic({ name: topic, partitions: options.partitions });
    this.ctx.topology.addSink(`${base}-sink`, topic, this.nodeName);
    this.ctx.topology.addSource(`${base}-source`, topic, { partitions: options.partitions });
    return new KStream<K, V>(this.ctx, `${base}-source`, false);
  }

  /** Plugs in a custom processor (the same API the built-in operators use) with access to the named stores. */
  process<K2 = K, V2 = V>(
    supplier: ProcessorSupplier<K, V, K2, V2>,
    ...storeNames: string[]
  ): KStream<K2, V2> {
    const name = this.ctx.name('process');
    this.ctx.topology.addProcessor(name, supplier, this.nodeName, {
      label: 'custom processor',
      terminal: true,
    });
    for (const store of storeNames) this.ctx.topology.connectStore(store, name);
    return new KStream<K2, V2>(this.ctx, name, true);
  }

  /** Groups by the current key for an aggregation. Repartitions first when the key was changed upstream. */
  groupByKey(): KGroupedStream<K, V> {
    return new KGroupedStream<K, V>(this.ctx, this.nodeName, this.keyChanged);
  }

  /** Groups by a new key for an aggregation (repartitions by it). */
  groupBy<K2>(selector: (key: K, value: V) => K2): KGroupedStream<K2, V> {
    const keyed = this.selectKey(selector);
    return new KGroupedStream<K2, V>(this.ctx, keyed.nodeName, true);
  }

  /** Inner join with a table: each record meets the table's current value for its key. */
  join<VT, VR>(table: KTable<K, VT>, joiner: (value: V, tableValue: VT, key: K) => VR): KStream<K, VR>;
  /** Inner windowed join with another stream: records whose timestamps are within the join window meet. */
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, otherValue: VO, key: K) => VR,
    window: JoinWindowSpec,
    options?: StreamJoinOptions,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO>,
    joiner: (value: V, otherValue: VO, key: K) => VR,
    window?: JoinWindowSpec,
    options?: StreamJoinOptions,
  ): KStream<K, VR> {
    if (other instanceof KStream) return this.streamJoin(other, joiner as never, window, 'inner', options);
    return this.tableJoin(other, joiner as (v: V, t: VO | undefined, k: K) => VR, false);
  }

  /** Left join with a table: every record is emitted, with `undefined` when the table has no value. */
  leftJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: (value: V, tableValue: VT | undefined, key: K) => VR,
  ): KStream<K, VR>;
  /** Left windowed join with another stream: unmatched records are emitted once their window closes. */
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, otherValue: VO | undefined, key: K) => VR,
    window: JoinWindowSpec,
    options?: StreamJoinOptions,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO>,
    joiner: (value: V, otherValue: VO | undefined, key: K) => VR,
    window?: JoinWindowSpec,
    options?: StreamJoinOptions,
  ): KStream<K, VR> {
    if (other instanceof KStream) return this.streamJoin(other, joiner, window, 'left', options);
    return this.tableJoin(other, joiner, true);
  }

  /** This stream, repartitioned by key when an upstream step changed the key. */
  protected keyed(): KStream<K, V> {
    return this.keyChanged ? this.repartition() : this;
  }

  private tableJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: (value: V, tableValue: VT | undefined, key: K) => VR,
    left: boolean,
  ): KStream<K, VR> {
    const node = addTableJoin(
      this.ctx,
      this.keyed().nodeName,
      table.materialize(),
      table.nodeName,
      joiner,
      left,
    );
    return new KStream<K, VR>(this.ctx, node, false);
  }

  private streamJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V, otherValue: VO | undefined, key: K) => VR,
    window: JoinWindowSpec | undefined,
    mode: 'inner' | 'left',
    options: StreamJoinOptions = {},
  ): KStream<K, VR> {
    if (!window) throw new Error('A stream-stream join needs a join window: windows.join({ within: "5s" })');
    const node = addStreamJoin(
      this.ctx,
      this.keyed().nodeName,
      other.keyed().nodeName,
      joiner,
      window,
      mode,
      options,
    );
    return new KStream<K, VR>(this.ctx, node, false);
  }

  private add<K2, V2>(
    kind: string,
    supplier: ProcessorSupplier<K, V, K2, V2>,
    changesKey = false,
  ): KStream<K2, V2> {
    const name = this.ctx.name(kind);
    this.ctx.topology.addProcessor(name, supplier, this.nodeName, { label: kind });
    return new KStream<K2, V2>(this.ctx, name, this.keyChanged || changesKey);
  }
}

/** Default layer extractor: the value's `topLayer` property (the tshark Packet has one). */
function defaultLayerOf(_key: unknown, value: unknown): string | undefined {
  const layer = (value as { topLayer?: unknown } | null)?.topLayer;
  return typeof layer === 'string' ? layer : undefined;
}
