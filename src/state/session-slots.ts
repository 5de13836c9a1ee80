/**
 * The sessions of one key, kept in an array sorted by (start, end): small in practice, so
 * linear scans and splices beat any tree. Shared by the in-memory and persistent session stores.
 */
import type { SessionWindow } from './store.js';

/** One stored session. `dirty` is only used by the persistent store's cache. */
export interface SessionSlot<V> {
  readonly start: number;
  readonly end: number;
  value: V;
  dirty: boolean;
}

/** Position of the session (start, end) in `slots`, or where it would go (as ~index). */
export function findSession<V>(slots: readonly SessionSlot<V>[], session: SessionWindow): number {
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    if (slot.start > session.start || (slot.start === session.start && slot.end > session.end)) return ~i;
    if (slot.start === session.start && slot.end === session.end) return i;
  }
  return ~slots.length;
}

/** Checks a session's bounds, with the store name in the message. */
export function checkSession(storeName: string, session: SessionWindow): void {
  if (!(session.start <= session.end)) {
    throw new RangeError(
      `session store "${storeName}": a session needs start <= end, got [${session.start}, ${session.end}]`,
    );
  }
}
