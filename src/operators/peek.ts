import type { StreamRecord } from '../runtime/record.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** Calls an action for each record and forwards it unchanged (logging, metrics). */
export class PeekProcessor<K, V> extends ForwardingProcessor<K, V> {
  constructor(private readonly action: (key: K, value: V, record: StreamRecord<K, V>) => void) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    this.action(record.key, record.value, record);
    this.context.forward(record);
  }
}
