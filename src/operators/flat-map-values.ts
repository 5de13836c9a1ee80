import type { StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** Maps each value to zero or more values, keeping the key. */
export class FlatMapValuesProcessor<K, V, V2> extends ForwardingProcessor<K, V, K, V2> {
  constructor(private readonly mapper: (value: V, key: K) => Iterable<V2>) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    for (const value of this.mapper(record.value, record.key))
      this.context.forward(derive(record, record.key, value));
  }
}
