import type { StreamRecord } from '../runtime/record.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** Calls an action for each record and forwards it unchanged (logging, metrics). */
export class PeekProcessor<K, V> extends ForwardingProcessor<K, V> {
  constructor(private readonly action: (key: K, value: V, record: StreamRecord<K, V>) => void) {
    super();
  }

  apply(record: StreamRecord<K, V>): StreamRecord<K, V> {
    this.action(record.key, record.value, record);
    return record;
  }

  process(record: StreamRecord<K, V>): void {
    this.context.forward(this.apply(record));
  }
}
