/**
 * A sink that hands every alert to in-process listeners (console, webhook queue, live snapshot) at
 * batch boundaries, outside the synchronous hot path. Listeners must not block: the webhook only
 * queues. A throwing listener is reported and does not stop the others.
 */
import type { SinkConnector } from '../../../src/runtime/connector.js';
import type { StreamRecord } from '../../../src/runtime/record.js';
import type { Alert } from '../types.js';

/** Something that wants each alert as it fires. */
export type AlertListener = (alert: Alert) => void;

/** The fan-out sink for `listeners`. */
export function alertFanout(
  listeners: readonly AlertListener[],
  onListenerError: (error: unknown) => void = () => {},
): SinkConnector<string, Alert> {
  return {
    name: 'alert-listeners',
    async write(batch: ReadonlyArray<StreamRecord<string, Alert>>) {
      for (const record of batch) {
        for (const listener of listeners) {
          try {
            listener(record.value);
          } catch (error) {
            onListenerError(error);
          }
        }
      }
    },
  };
}
