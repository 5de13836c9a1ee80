import { type Observable, Subject } from 'rxjs';
import type { SinkConnector } from '../../runtime/connector.js';
import type { StreamRecord } from '../../runtime/record.js';

/**
 * A sink that re-emits records on an rxjs Observable. The runtime hands it whole batches at batch
 * boundaries, so subscribers never run inside the synchronous hot path. Closing the sink completes
 * the Observable.
 */
export function toObservableSink<K, V>(
  name: string,
): { sink: SinkConnector<K, V>; observable: Observable<StreamRecord<K, V>> } {
  const subject = new Subject<StreamRecord<K, V>>();
  const sink: SinkConnector<K, V> = {
    name,
    async write(batch) {
      for (const record of batch) subject.next(record);
    },
    async close() {
      subject.complete();
    },
  };
  return { sink, observable: subject.asObservable() };
}
