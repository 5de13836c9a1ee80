import type { Observable, Subscription } from 'rxjs';
import type { SourceConnector } from '../../runtime/connector.js';
import type { StreamRecord } from '../../runtime/record.js';

/** Options of {@link fromObservable}. */
export interface FromObservableOptions<T, K, V> {
  /** Source name (and default topic name). Default "observable". */
  name?: string;
  /** Turns an emitted item into a record. Default: key null, value = item, timestamp = now. */
  toRecord?: (item: T) => StreamRecord<K, V>;
  /**
   * Most items held while the runtime is not pulling. When full, the oldest items are dropped and
   * counted (`dropped`): an Observable cannot be paused. Default 10,000.
   */
  maxBuffered?: number;
  /** Most records per batch. Default 500. */
  batchSize?: number;
}

/** A SourceConnector with a count of items dropped because the buffer was full. */
export interface ObservableSource<K, V> extends SourceConnector<K, V> {
  readonly dropped: number;
}

/**
 * Feeds a topology from an rxjs Observable: `builder.stream(fromObservable(events$))`. Items are
 * buffered (bounded) and handed to the runtime in batches; the source ends when the Observable
 * completes and fails when it errors.
 */
export function fromObservable<T, K = null, V = T>(
  observable: Observable<T>,
  options: FromObservableOptions<T, K, V> = {},
): ObservableSource<K, V> {
  const name = options.name ?? 'observable';
  const maxBuffered = options.maxBuffered ?? 10_000;
  const batchSize = options.batchSize ?? 500;
  const toRecord =
    options.toRecord ??
    ((item: T) => ({ key: null as K, value: item as unknown as V, timestamp: Date.now() }));
  let buffer: StreamRecord<K, V>[] = [];
  let dropped = 0;
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let subscription: Subscription | undefined;

  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  return {
    name,
    get dropped() {
      return dropped;
    },
    async *batches(signal: AbortSignal) {
      subscription = observable.subscribe({
        next: (item) => {
          buffer.push(toRecord(item));
          if (buffer.length > maxBuffered) {
            buffer.shift();
            dropped++;
          }
          if (buffer.length >= batchSize) notify();
        },
        error: (error) => {
          failure = error;
          done = true;
          notify();
        },
        complete: () => {
          done = true;
          notify();
        },
      });
      const onAbort = () => notify();
      signal.addEventListener('abort', onAbort);
      try {
        while (!signal.aborted) {
          if (buffer.length > 0) {
            const batch = buffer.length <= batchSize ? buffer : buffer.slice(0, batchSize);
            buffer = buffer.length <= batchSize ? [] : buffer.slice(batchSize);
            yield batch;
            continue;
          }
          if (done) break;
          // Wait for a full batch, the end, or a short linger so slow Observables still flow.
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(notify, 20);
          });
        }
        if (failure !== undefined) throw failure;
      } finally {
        signal.removeEventListener('abort', onAbort);
        subscription?.unsubscribe();
      }
    },
    async close() {
      subscription?.unsubscribe();
      done = true;
      notify();
    },
  };
}
