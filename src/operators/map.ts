import type { KeyValue, StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** Maps each record to a new key and value. */
export class MapProcessor<K, V, K2, V2> extends ForwardingProcessor<K, V, K2, V2> {
  constructor(private readonly mapper: (key: K, value: V) => KeyValue<K2, V2>) {
    super();
  }

  apply(record: StreamRecord<K, V>): StreamRecord<K2, V2> {
    const out = this.mapper(record.key, record.value);
    return derive(record, out.key, out.value);
  }

  process(record: StreamRecord<K, V>): void {
    this.context.forward(this.apply(record));
  }
}
