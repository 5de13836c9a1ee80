import type { StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** Maps each value, keeping the key (so no repartition is needed downstream). */
export class MapValuesProcessor<K, V, V2> extends ForwardingProcessor<K, V, K, V2> {
  constructor(private readonly mapper: (value: V, key: K) => V2) {
    super();
  }

  apply(record: StreamRecord<K, V>): StreamRecord<K, V2> {
    return derive(record, record.key, this.mapper(record.value, record.key));
  }

  process(record: StreamRecord<K, V>): void {
    this.context.forward(this.apply(record));
  }
}
