import type { StreamRecord } from '../runtime/record.js';
import type { KeyValueStore } from '../state/store.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/**
 * Materializes a topic as a table: the latest value per key goes into a key-value store (null or
 * undefined values delete the key) and every update is forwarded.
 */
export class TableSourceProcessor<K, V> extends ForwardingProcessor<K, V | null, K, V | null> {
  private store!: KeyValueStore<K, V>;

  constructor(private readonly storeName: string) {
    super();
  }

  override init(context: Parameters<ForwardingProcessor<K, V | null, K, V | null>['init']>[0]): void {
    super.init(context);
    this.store = context.getStateStore<KeyValueStore<K, V>>(this.storeName);
  }

  process(record: StreamRecord<K, V | null>): void {
    if (record.key === null || record.key === undefined) {
      this.context.count('null-key-records');
      return;
    }
    if (record.value === null || record.value === undefined) this.store.delete(record.key);
    else this.store.put(record.key, record.value);
    this.context.forward(record);
  }
}
