import type { Processor } from '../runtime/processor.js';
import type { StreamRecord } from '../runtime/record.js';

/** Calls an action for each record and forwards nothing: a terminal step. */
export class ForEachProcessor<K, V> implements Processor<K, V, never, never> {
  constructor(private readonly action: (key: K, value: V, record: StreamRecord<K, V>) => void) {}

  process(record: StreamRecord<K, V>): void {
    this.action(record.key, record.value, record);
  }
}
