import type { Aggregator } from '../../aggregations/aggregator.js';
import type { EmitMode } from './window-specs.js';

/** What every windowed aggregation processor (time, sliding, session) is configured with. */
export interface WindowedAggregateConfig<Spec, V, Acc, Out> {
  readonly spec: Spec;
  /** Window store (time, sliding) or session store holding the accumulators. */
  readonly storeName: string;
  readonly aggregator: Aggregator<V, Acc, Out>;
  readonly emit: EmitMode;
  /** Child node that receives results. */
  readonly resultChild: string;
  /**
   * Child node that receives late records. The DSL sets it after construction of the config when
   * the user calls lateRecords(), so it is read at process time, not copied at init.
   */
  lateChild?: string | undefined;
  /** Close windows by wall-clock time after this long without records (ms); off when undefined. */
  readonly idleCloseMs?: number | undefined;
}
