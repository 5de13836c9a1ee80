import type { Aggregator } from '../aggregations/aggregator.js';
import { PassThroughProcessor } from '../operators/pass-through.js';
import { SessionWindowAggregateProcessor } from '../operators/windows/session-window-aggregate.js';
import { SlidingWindowAggregateProcessor } from '../operators/windows/sliding-window-aggregate.js';
import { TimeWindowAggregateProcessor } from '../operators/windows/time-window-aggregate.js';
import {
  checkWindow,
  describeWindow,
  type EmitMode,
  type SessionWindowSpec,
  type SlidingWindowSpec,
  type TimeWindowSpec,
} from '../operators/windows/window-specs.js';
import type { WindowedAggregateConfig } from '../operators/windows/windowed-aggregate-config.js';
import { type Duration, toMillis } from '../runtime/duration.js';
import type { ProcessorSupplier } from '../runtime/processor.js';
import type { Windowed } from '../runtime/record.js';
import {
  type AggregateOptions,
  countAggregator,
  reduceAggregator,
  toAggregator,
} from './aggregation-args.js';
import type { BuilderContext } from './builder-context.js';
import { WindowedKTable } from './ktable.js';

type AnySpec = TimeWindowSpec | SlidingWindowSpec | SessionWindowSpec;

/** Shared by time- and session-windowed streams: emit mode, idle close, and building the aggregate node. */
abstract class WindowedStreamBase<K, V, Spec extends AnySpec> {
  protected emitMode: EmitMode = 'eager';
  protected idleCloseMs: number | undefined;

  /** @internal */
  constructor(
    protected readonly ctx: BuilderContext,
    protected readonly input: () => string,
    protected readonly spec: Spec,
  ) {}

  /**
   * 'eager' (default): forward each window's new result on every update, so alerts fire as soon as a
   * threshold is crossed. 'final': forward one result per window when it closes (end + grace),
   * like Kafka Streams' suppress(untilWindowCloses).
   */
  emit(mode: EmitMode): this {
    this.emitMode = mode;
    return this;
  }

  /**
   * Closes windows by wall-clock time when no record arrived for `after`: stream time moves on by the
   * idle time, so a quiet partition still emits its final windows. Records that arrive later for
   * those windows count as late.
   */
  idleClose(after: Duration): this {
    this.idleCloseMs = toMillis(after, 'idle close');
    return this;
  }

  protected build<Acc, Out>(
    kind: string,
    aggregator: Aggregator<V, Acc, Out>,
    options: AggregateOptions,
    storeKind: 'window' | 'session',
    retentionMs: number,
    makeProcessor: (
      config: WindowedAggregateConfig<Spec, V, Acc, Out>,
    ) => ProcessorSupplier<K, V, Windowed<K>, Out | null>,
  ): WindowedKTable<K, V, Out> {
    const name = options.name ?? this.ctx.name(kind);
    const storeName = options.storeName ?? `${name}-store`;
    const config: WindowedAggregateConfig<Spec, V, Acc, Out> = {
      spec: this.spec,
      storeName,
      aggregator,
      emit: this.emitMode,
      resultChild: `${name}-results`,
      idleCloseMs: this.idleCloseMs,
    };
    const spec = this.spec;
    this.ctx.topology.addProcessor(name, makeProcessor(config), this.input(), {
      label: `window-aggregate (${describeWindow(spec)}, emit ${this.emitMode})`,
      terminal: true,
      validate: () => checkWindow(spec),
    });
    this.ctx.topology.addStateStore(
      {
        name: storeName,
        kind: storeKind,
        backend: options.store ?? this.ctx.defaultStoreBackend,
        retentionMs,
      },
      name,
    );
    // Results go through their own node so late records (a second child) never mix with them.
    this.ctx.topology.addProcessor(config.resultChild, () => new PassThroughProcessor(), name, {
      passThrough: true,
      label: 'window results',
      terminal: true,
    });
    return new WindowedKTable<K, V, Out>(this.ctx, config.resultChild, name, (child) => {
      config.lateChild = child;
    });
  }
}

/** A grouped stream windowed by tumbling, hopping or sliding windows. */
export class TimeWindowedKStream<K, V> extends WindowedStreamBase<K, V, TimeWindowSpec | SlidingWindowSpec> {
  /** Records per key and window. */
  count(options: AggregateOptions = {}): WindowedKTable<K, V, number> {
    return this.aggregate(countAggregator<V>(), options);
  }

  /** Combines the values of each key and window with `reducer`. */
  reduce(reducer: (aggregate: V, value: V) => V, options: AggregateOptions = {}): WindowedKTable<K, V, V> {
    return this.aggregate(reduceAggregator(reducer), options);
  }

  /** Aggregates each key and window with an Aggregator (e.g. `stats.combine({...})`). */
  aggregate<Acc, Out>(
    aggregator: Aggregator<V, Acc, Out>,
    options?: AggregateOptions,
  ): WindowedKTable<K, V, Out>;
  /** Aggregates each key and window from an initial value and an adder. */
  aggregate<A>(
    initializer: () => A,
    adder: (key: K, value: V, aggregate: A) => A,
    options?: AggregateOptions,
  ): WindowedKTable<K, V, A>;
  aggregate(...args: unknown[]): WindowedKTable<K, V, unknown> {
    const { aggregator, options } = toAggregator<K, V>(args);
    const spec = this.spec;
    if (spec.type === 'sliding') {
      // A record looks back and forward one time difference; keep two of them plus grace.
      const retention = 2 * spec.timeDifferenceMs + spec.graceMs + 1;
      return this.build(
        'window-aggregate',
        aggregator,
        options,
        'window',
        retention,
        (config) => () =>
          new SlidingWindowAggregateProcessor<K, V, unknown, unknown>(
            config as WindowedAggregateConfig<SlidingWindowSpec, V, unknown, unknown>,
          ),
      );
    }
    const retention = spec.sizeMs + spec.graceMs;
    return this.build(
      'window-aggregate',
      aggregator,
      options,
      'window',
      retention,
      (config) => () =>
        new TimeWindowAggregateProcessor<K, V, unknown, unknown>(
          config as WindowedAggregateConfig<TimeWindowSpec, V, unknown, unknown>,
        ),
    );
  }
}

/** A grouped stream windowed into sessions. Aggregations need a merge (Aggregators have one). */
export class SessionWindowedKStream<K, V> extends WindowedStreamBase<K, V, SessionWindowSpec> {
  /** Records per key and session. */
  count(options: AggregateOptions = {}): WindowedKTable<K, V, number | null> {
    return this.aggregate(countAggregator<V>(), options);
  }

  /** Combines the values of each session with `reducer` (also used to merge sessions). */
  reduce(
    reducer: (aggregate: V, value: V) => V,
    options: AggregateOptions = {},
  ): WindowedKTable<K, V, V | null> {
    return this.aggregate(reduceAggregator(reducer), options);
  }

  /**
   * Aggregates each session. When sessions merge, the old sessions' results are retracted with a
   * null value (eager mode) and the merged session's result is forwarded.
   */
  aggregate<Acc, Out>(
    aggregator: Aggregator<V, Acc, Out>,
    options?: AggregateOptions,
  ): WindowedKTable<K, V, Out | null>;
  /** Kafka Streams-style: initializer, adder, and a merger for when two sessions join. */
  aggregate<A>(
    initializer: () => A,
    adder: (key: K, value: V, aggregate: A) => A,
    merger: (key: K, a: A, b: A) => A,
    options?: AggregateOptions,
  ): WindowedKTable<K, V, A | null>;
  aggregate(...args: unknown[]): WindowedKTable<K, V, unknown> {
    const { aggregator, options } = toAggregator<K, V>(args);
    const retention = this.spec.gapMs + this.spec.graceMs + 1;
    return this.build(
      'session-aggregate',
      aggregator,
      options,
      'session',
      retention,
      (config) => () => new SessionWindowAggregateProcessor<K, V, unknown, unknown>(config),
    );
  }
}
