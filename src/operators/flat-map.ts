import type { KeyValue, StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** Maps each record to zero or more records with new keys and values. */
export class FlatMapProcessor<K, V, K2, V2> extends ForwardingProcessor<K, V, K2, V2> {
  constructor(private readonly mapper: (key: K, value: V) => Iterable<KeyValue<K2, V2>>) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    for (const out of this.mapper(record.key, record.value))
      this.context.forward(derive(record, out.key, out.value));
  }
}
