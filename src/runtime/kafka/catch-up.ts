import type { AppState } from '../app/app-state.js';
import type { AdminPort, TopicPartitions } from './client-port.js';

/** What the catch-up check reads of a running engine. */
export interface CatchUpView {
  readonly admin: AdminPort;
  readonly groupId: string;
  state(): AppState;
  /** Partitions this instance is assigned. */
  assignment(): TopicPartitions;
  /** True once every source connector has ended. */
  sourcesDone(): boolean;
  /** Outputs the tasks hold that are not sent yet. */
  pendingOutputs(): number;
}

/**
 * Resolves once source connectors have ended and this instance has an assignment and has processed
 * and committed everything in its assigned partitions (checked twice in a row, so records that went
 * through a repartition topic count). Rejects with the app's failure; resolves when the app stops.
 */
export async function whenCaughtUp(view: CatchUpView, isFailed: () => Error | undefined): Promise<void> {
  let quietChecks = 0;
  for (;;) {
    const failure = isFailed();
    if (failure) throw failure;
    const state = view.state();
    if (state === 'NOT_RUNNING' || state === 'PENDING_SHUTDOWN') return;
    if (
      state === 'RUNNING' &&
      view.assignment().size > 0 &&
      view.sourcesDone() &&
      (await unprocessedRecords(view)) === 0
    ) {
      if (++quietChecks >= 2) return;
    } else quietChecks = 0;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Records in assigned partitions not yet processed and committed, plus outputs not yet sent. */
export async function unprocessedRecords(view: CatchUpView): Promise<number> {
  let lag = 0;
  for (const [topic, partitions] of view.assignment()) {
    const [ends, committed] = await Promise.all([
      view.admin.endOffsets(topic),
      view.admin.committedOffsets(view.groupId, topic),
    ]);
    for (const p of partitions) lag += Math.max(0, (ends.get(p) ?? 0) - (committed.get(p) ?? 0));
  }
  return lag + view.pendingOutputs();
}
