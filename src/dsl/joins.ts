import { PassThroughProcessor } from '../operators/pass-through.js';
import { StreamStreamJoinProcessor } from '../operators/stream-stream-join.js';
import { StreamTableJoinProcessor } from '../operators/stream-table-join.js';
import { describeWindow, type JoinWindowSpec } from '../operators/windows/window-specs.js';
import type { BuilderContext } from './builder-context.js';
import { checkCoPartitioned } from './co-partitioning.js';

/**
 * Adds a stream-table join below `streamNode`, reading the table's store; returns the join node.
 * build() checks that the stream and the table are co-partitioned.
 */
export function addTableJoin<K, V, VT, VR>(
  ctx: BuilderContext,
  streamNode: string,
  tableStore: string,
  tableNode: string,
  joiner: (value: V, tableValue: VT | undefined, key: K) => VR,
  left: boolean,
): string {
  const name = ctx.name(left ? 'left-join-table' : 'join-table');
  ctx.topology.addProcessor(
    name,
    () => new StreamTableJoinProcessor<K, V, VT, VR>(tableStore, joiner, left),
    streamNode,
    {
      label: `${left ? 'left ' : ''}stream-table join (table store ${tableStore})`,
      validate: (t) => checkCoPartitioned(t, streamNode, tableNode),
    },
  );
  ctx.topology.connectStore(tableStore, name);
  return name;
}

/** Options of a windowed stream-stream join. */
export interface StreamJoinOptions {
  /** Base name of the join's nodes and stores ("<name>-this-store", "<name>-other-store"). */
  name?: string;
  /** Backend of the two buffering window stores; default: the builder's default backend. */
  store?: 'memory' | 'persistent';
}

/**
 * Adds a windowed stream-stream join: one processor per side, each buffering its records in its own
 * window store and probing the other's, and a pass-through node merging their results (returned).
 */
export function addStreamJoin<K, V, VO, VR>(
  ctx: BuilderContext,
  thisNode: string,
  otherNode: string,
  joiner: (value: V, otherValue: VO | undefined, key: K) => VR,
  window: JoinWindowSpec,
  mode: 'inner' | 'left',
  options: StreamJoinOptions = {},
): string {
  const base = ctx.name(mode === 'left' ? 'left-join-stream' : 'join-stream', options.name);
  const backend = options.store ?? ctx.defaultStoreBackend;
  const thisStore = `${base}-this-store`;
  const otherStore = `${base}-other-store`;
  const retentionMs = window.beforeMs + window.afterMs + window.graceMs + 1;
  const label = `${mode} stream-stream join (${describeWindow(window)})`;
  ctx.topology.addProcessor(
    `${base}-this`,
    () =>
      new StreamStreamJoinProcessor<K, V, VO, VR>({
        window,
        thisStore,
        otherStore,
        joiner,
        side: 'this',
        mode,
      }),
    thisNode,
    { label, validate: (t) => checkCoPartitioned(t, thisNode, otherNode) },
  );
  ctx.topology.addProcessor(
    `${base}-other`,
    () =>
      new StreamStreamJoinProcessor<K, VO, V, VR>({
        window,
        thisStore: otherStore,
        otherStore: thisStore,
        // The other side sees the pair the other way round; the user's joiner keeps its order.
        joiner: (vo: VO, v: V | undefined, k: K) => joiner(v as V, vo, k),
        side: 'other',
        mode,
      }),
    otherNode,
    { label },
  );
  for (const store of [thisStore, otherStore]) {
    ctx.topology.addStateStore(
      { name: store, kind: 'window', backend, retentionMs },
      `${base}-this`,
      `${base}-other`,
    );
  }
  ctx.topology.addProcessor(
    `${base}-merge`,
    () => new PassThroughProcessor<K, VR>(),
    [`${base}-this`, `${base}-other`],
    {
      label: 'join results',
      passThrough: true,
    },
  );
  return `${base}-merge`;
}
