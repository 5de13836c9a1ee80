import type { StreamRecord } from '../runtime/record.js';
import type { KeyValueStore } from '../state/store.js';
import { derive, ForwardingProcessor } from './forwarding-processor.js';

/**
 * Joins each stream record with the table's current value for its key (the table is materialized
 * in `storeName`). Inner join drops records with no table value; left join passes `undefined`.
 * Only stream records trigger output: a later table update does not re-emit old stream records.
 */
export class StreamTableJoinProcessor<K, V, VT, VR> extends ForwardingProcessor<K, V, K, VR> {
  private store!: KeyValueStore<K, VT>;

  constructor(
    private readonly storeName: string,
    private readonly joiner: (value: V, tableValue: VT | undefined, key: K) => VR,
    private readonly left: boolean,
  ) {
    super();
  }

  override init(context: Parameters<ForwardingProcessor<K, V, K, VR>['init']>[0]): void {
    super.init(context);
    this.store = context.getStateStore<KeyValueStore<K, VT>>(this.storeName);
  }

  process(record: StreamRecord<K, V>): void {
    if (record.key === null || record.key === undefined) {
      this.context.count('null-key-records');
      return;
    }
    const tableValue = this.store.get(record.key);
    if (tableValue === undefined && !this.left) return;
    this.context.forward(derive(record, record.key, this.joiner(record.value, tableValue, record.key)));
  }
}
