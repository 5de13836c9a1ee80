import type { StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/**
 * KTable.filter: updates that pass are forwarded; an update that fails is forwarded as a delete
 * (null), so downstream tables drop a key that no longer matches, as in Kafka Streams.
 */
export class TableFilterProcessor<K, V> extends ForwardingProcessor<K, V | null, K, V | null> {
  constructor(
    private readonly predicate: (key: K, value: V) => boolean,
    private readonly negate = false,
  ) {
    super();
  }

  process(record: StreamRecord<K, V | null>): void {
    if (record.value === null || record.value === undefined) {
      this.context.forward(record);
      return;
    }
    if (this.predicate(record.key, record.value) !== this.negate) this.context.forward(record);
    else this.context.forward(derive(record, record.key, null));
  }
}
