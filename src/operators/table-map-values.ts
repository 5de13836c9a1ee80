import type { StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** KTable.mapValues: maps each update's value; deletes (null) pass through as deletes. */
export class TableMapValuesProcessor<K, V, V2> extends ForwardingProcessor<K, V | null, K, V2 | null> {
  constructor(private readonly mapper: (value: V, key: K) => V2) {
    super();
  }

  process(record: StreamRecord<K, V | null>): void {
    const value =
      record.value === null || record.value === undefined ? null : this.mapper(record.value, record.key);
    this.context.forward(derive(record, record.key, value));
  }
}
