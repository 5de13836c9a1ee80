import type { Processor, ProcessorContext } from '../runtime/processor.js';
import type { StreamRecord } from '../runtime/record.js';

/**
 * Base of the built-in operators: keeps the context from init() so `process` can forward.
 * Users can extend it for their own processors too.
 */
export abstract class ForwardingProcessor<KIn, VIn, KOut = KIn, VOut = VIn>
  implements Processor<KIn, VIn, KOut, VOut>
{
  protected context!: ProcessorContext<KOut, VOut>;

  init(context: ProcessorContext<KOut, VOut>): void {
    this.context = context;
  }

  abstract process(record: StreamRecord<KIn, VIn>): void;
}

/** A record with a new key and value, keeping the timestamp and headers of the one it came from. */
export function derive<K, V>(from: StreamRecord<unknown, unknown>, key: K, value: V): StreamRecord<K, V> {
  return { key, value, timestamp: from.timestamp, headers: from.headers };
}
