import type { StateStore } from '../../state/store.js';
import type { Cancellable, PunctuationType } from '../processor.js';
import type { RecordOrigin } from '../record.js';

/** What a task offers the processors running in it (through their ProcessorRunner). */
export interface TaskRuntime {
  readonly applicationId: string;
  readonly taskId: string;
  readonly partition: number;
  readonly streamTime: number;
  readonly currentOrigin: RecordOrigin | undefined;
  clock(): number;
  store(name: string): StateStore;
  schedule(
    node: string,
    intervalMs: number,
    type: PunctuationType,
    callback: (timestamp: number) => void,
  ): Cancellable;
  count(metric: string, by: number): void;
}
