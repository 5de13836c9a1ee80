import type { Aggregator } from '../aggregations/aggregator.js';
import type { StreamRecord } from '../runtime/record.js';
import type { KeyValueStore } from '../state/store.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/**
 * Aggregation per key without windows (KGroupedStream.count/reduce/aggregate): folds each record
 * into the key's accumulator in a key-value store and forwards the key's new result.
 * Records with a null or undefined key are skipped and counted, as in Kafka Streams.
 */
export class AggregateProcessor<K, V, Acc, Out> extends ForwardingProcessor<K, V, K, Out> {
  private store!: KeyValueStore<K, Acc>;

  constructor(
    private readonly storeName: string,
    private readonly aggregator: Aggregator<V, Acc, Out>,
  ) {
    super();
  }

  override init(context: Parameters<ForwardingProcessor<K, V, K, Out>['init']>[0]): void {
    super.init(context);
    this.store = context.getStateStore<KeyValueStore<K, Acc>>(this.storeName);
  }

  process(record: StreamRecord<K, V>): void {
    if (record.key === null || record.key === undefined) {
      this.context.count('null-key-records');
      return;
    }
    const previous = this.store.get(record.key);
    const acc = this.aggregator.add(previous === undefined ? this.aggregator.init() : previous, record.value);
    this.store.put(record.key, acc);
    this.context.forward({
      key: record.key,
      value: this.aggregator.result(acc),
      timestamp: record.timestamp,
    });
  }
}
