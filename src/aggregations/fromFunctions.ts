import { TributaryError } from '../runtime/errors.js';
import type { Aggregator } from './aggregator.js';

/**
 * Builds an Aggregator from Kafka Streams-style functions: an initializer and an adder, plus an
 * optional merger (needed by session windows and `combine` merges) and result mapping (default: the
 * accumulator itself). The accumulator must be plain data, as for every aggregator.
 *
 * The adder takes `(acc, value, key)`, in the order of `Aggregator.add` (Kafka Streams' own adder is
 * `(key, value, aggregate)`); `key` is the group's key when the runtime passes it.
 *
 * Without a merger, `merge` throws a TributaryError that says so: use it only where no merge happens.
 *
 * @example
 * ```ts
 * const bytesAndPorts = aggregator(
 *   () => ({ bytes: 0, ports: [] as number[] }),
 *   (acc, p: Packet) => { acc.bytes += p.len; if (!acc.ports.includes(p.dstPort)) acc.ports.push(p.dstPort); return acc; },
 *   (a, b) => ({ bytes: a.bytes + b.bytes, ports: [...new Set([...a.ports, ...b.ports])] }),
 *   (acc) => ({ bytes: acc.bytes, ports: acc.ports.length }),
 * );
 * ```
 */
export function aggregator<V, Acc>(
  init: () => Acc,
  add: (acc: Acc, value: V, key?: unknown) => Acc,
  merge?: (a: Acc, b: Acc) => Acc,
): Aggregator<V, Acc, Acc>;
/** As above, with a mapping from the accumulator to the result. */
export function aggregator<V, Acc, Out>(
  init: () => Acc,
  add: (acc: Acc, value: V, key?: unknown) => Acc,
  merge: ((a: Acc, b: Acc) => Acc) | undefined,
  result: (acc: Acc) => Out,
): Aggregator<V, Acc, Out>;
export function aggregator<V, Acc, Out>(
  init: () => Acc,
  add: (acc: Acc, value: V, key?: unknown) => Acc,
  merge?: (a: Acc, b: Acc) => Acc,
  result?: (acc: Acc) => Out,
): Aggregator<V, Acc, Out | Acc> {
  return {
    init,
    add,
    merge: merge ?? missingMerge,
    result: result ?? ((acc) => acc),
  };
}

function missingMerge(): never {
  throw new TributaryError(
    'This aggregator was built with aggregator(init, add) and has no merge function, but a merge was ' +
      'needed (session windows and combined partial results merge accumulators). Pass a merger as the ' +
      'third argument: aggregator(init, add, (a, b) => ...).',
  );
}
