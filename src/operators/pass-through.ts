import type { StreamRecord } from '../runtime/record.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** Forwards every record unchanged: the node behind merge() and KTable.toStream(). */
export class PassThroughProcessor<K, V> extends ForwardingProcessor<K, V> {
  process(record: StreamRecord<K, V>): void {
    this.context.forward(record);
  }
}
