import type { StreamRecord } from '../runtime/record.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/** Gives each record a new key computed from it; the value is unchanged. */
export class SelectKeyProcessor<K, V, K2> extends ForwardingProcessor<K, V, K2, V> {
  constructor(private readonly selector: (key: K, value: V) => K2) {
    super();
  }

  apply(record: StreamRecord<K, V>): StreamRecord<K2, V> {
    return derive(record, this.selector(record.key, record.value), record.value);
  }

  process(record: StreamRecord<K, V>): void {
    this.context.forward(this.apply(record));
  }
}
