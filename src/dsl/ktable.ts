import { PassThroughProcessor } from '../operators/pass-through.js';
import { TableFilterProcessor } from '../operators/table-filter.js';
import { TableMapValuesProcessor } from '../operators/table-map-values.js';
import { TableSourceProcessor } from '../operators/table-source.js';
import type { Windowed } from '../runtime/record.js';
import type { BuilderContext } from './builder-context.js';
import { KStream } from './kstream.js';

/**
 * A changelog stream seen as a table: the latest value per key. Updates flow downstream as records;
 * a null value deletes a key. Tables from `builder.table()` and from aggregations are materialized
 * in a key-value store (joinable, queryable); mapValues/filter tables are materialized on demand
 * when something joins against them.
 */
export class KTable<K, V> {
  /** @internal */
  constructor(
    protected readonly ctx: BuilderContext,
    /** The node whose output is this table's update stream. */
    readonly nodeName: string,
    private storeName?: string,
  ) {}

  /** The table's update stream. */
  toStream(options: { name?: string } = {}): KStream<K, V> {
    const name = this.ctx.name('to-stream', options.name);
    this.ctx.topology.addProcessor(name, () => new PassThroughProcessor<K, V>(), this.nodeName, {
      passThrough: true,
      label: 'to-stream',
    });
    return new KStream<K, V>(this.ctx, name, false);
  }

  /** A table of mapped values (deletes stay deletes). */
  mapValues<V2>(mapper: (value: V, key: K) => V2): KTable<K, V2> {
    const name = this.ctx.name('table-map-values');
    this.ctx.topology.addProcessor(name, () => new TableMapValuesProcessor<K, V, V2>(mapper), this.nodeName, {
      label: 'table map-values',
      terminal: true,
    });
    return new KTable<K, V2>(this.ctx, name);
  }

  /** A table of the rows that match; a row that stops matching is deleted downstream. */
  filter(predicate: (key: K, value: V) => boolean): KTable<K, V> {
    return this.addFilter(predicate, false);
  }

  /** A table of the rows that do not match. */
  filterNot(predicate: (key: K, value: V) => boolean): KTable<K, V> {
    return this.addFilter(predicate, true);
  }

  /** The name of a key-value store holding this table, materializing it first when needed. @internal */
  materialize(): string {
    if (this.storeName) return this.storeName;
    const name = this.ctx.name('materialize');
    const storeName = `${name}-store`;
    this.ctx.topology.addProcessor(name, () => new TableSourceProcessor<K, V>(storeName), this.nodeName, {
      label: 'materialize',
      terminal: true,
    });
    this.ctx.topology.addStateStore(
      { name: storeName, kind: 'key-value', backend: this.ctx.defaultStoreBackend },
      name,
    );
    this.storeName = storeName;
    return storeName;
  }

  /** The store holding this table, when it is materialized (for interactive queries). */
  get queryableStoreName(): string | undefined {
    return this.storeName;
  }

  private addFilter(predicate: (key: K, value: V) => boolean, negate: boolean): KTable<K, V> {
    const name = this.ctx.name(negate ? 'table-filter-not' : 'table-filter');
    this.ctx.topology.addProcessor(
      name,
      () => new TableFilterProcessor<K, V>(predicate, negate),
      this.nodeName,
      {
        label: 'table filter',
        terminal: true,
      },
    );
    return new KTable<K, V>(this.ctx, name);
  }
}

/**
 * The result of a windowed aggregation: a table keyed by (key, window). Its store is a window (or
 * session) store. `lateRecords()` gives the records that arrived after their windows closed.
 */
export class WindowedKTable<K, V, Out> extends KTable<Windowed<K>, Out> {
  private lateStream: KStream<K, V> | undefined;

  /** @internal */
  constructor(
    ctx: BuilderContext,
    nodeName: string,
    /** The aggregate node (its store is "<aggregateNode>-store" unless named). */
    readonly aggregateNode: string,
    private readonly onLateChild: (child: string) => void,
  ) {
    super(ctx, nodeName);
  }

  /**
   * Records that arrived after at least one window they belong to had closed (stream time past its
   * end + grace). Such a record still counts in its windows that are open; it is reported here once
   * and counted (`<node>.late-records`) either way. Route this stream somewhere to keep them.
   */
  lateRecords(): KStream<K, V> {
    if (this.lateStream) return this.lateStream;
    const name = `${this.aggregateNode}-late`;
    this.ctx.topology.addProcessor(name, () => new PassThroughProcessor<K, V>(), this.aggregateNode, {
      passThrough: true,
      label: 'late records',
    });
    this.onLateChild(name);
    this.lateStream = new KStream<K, V>(this.ctx, name, false);
    return this.lateStream;
  }

  override materialize(): string {
    throw new Error(
      `A windowed table (${this.aggregateNode}) cannot be joined as a key-value table; use toStream() and re-key it first.`,
    );
  }
}
