import type { StreamRecord } from '../runtime/record.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/** Forwards the records the predicate accepts (or, with `negate`, rejects), unchanged. */
export class FilterProcessor<K, V> extends ForwardingProcessor<K, V> {
  constructor(
    private readonly predicate: (key: K, value: V) => boolean,
    private readonly negate = false,
  ) {
    super();
  }

  apply(record: StreamRecord<K, V>): StreamRecord<K, V> | undefined {
    return this.predicate(record.key, record.value) !== this.negate ? record : undefined;
  }

  process(record: StreamRecord<K, V>): void {
    if (this.predicate(record.key, record.value) !== this.negate) this.context.forward(record);
  }
}
