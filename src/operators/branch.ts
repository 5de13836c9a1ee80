import type { StreamRecord } from '../runtime/record.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** One named branch: records for which `predicate` holds go to the child node `child`. */
export interface BranchRoute<K, V> {
  readonly predicate: (key: K, value: V) => boolean;
  readonly child: string;
}

/**
 * split(): sends each record to the first branch whose predicate holds, or to the default
 * child when none does (records with no match and no default are dropped and counted).
 */
export class BranchProcessor<K, V> extends ForwardingProcessor<K, V> {
  constructor(
    private readonly routes: ReadonlyArray<BranchRoute<K, V>>,
    private readonly defaultChild: string | undefined,
  ) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (route.predicate(record.key, record.value)) {
        this.context.forward(record, route.child);
        return;
      }
    }
    if (this.defaultChild !== undefined) this.context.forward(record, this.defaultChild);
    else this.context.count('unmatched-records');
  }
}
