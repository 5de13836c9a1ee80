import type { KeyValue, StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** Maps each record to a new key and value. */
export class MapProcessor<K, V, K2, V2> extends ForwardingProcessor<K, V, K2, V2> {
  constructor(private readonly mapper: (key: K, value: V) => KeyValue<K2, V2>) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    const out = this.mapper(record.key, record.value);
    this.context.forward(derive(record, out.key, out.value));
  }
}
