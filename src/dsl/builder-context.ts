import { Topology } from '../runtime/topology/topology.js';
import type { StoreSpec } from '../state/store.js';

/**
 * What every DSL object shares: the topology being built, unique node names, and defaults.
 * Internal: users see StreamsBuilder, KStream, KTable and friends.
 */
export class BuilderContext {
  readonly topology = new Topology();
  private counter = 0;

  constructor(readonly defaultStoreBackend: StoreSpec['backend'] = 'memory') {}

  /** A fresh node name such as "map-3", or the user's name when given (checked for uniqueness by Topology). */
  name(kind: string, given?: string): string {
    this.counter++;
    return given ?? `${kind}-${this.counter}`;
  }
}
