import { ChangeloggingBase, type ChangeloggingStore, entryId } from './changelogging-store.js';
import type { SessionStore, SessionWindow } from './store.js';

/** A session store that records changed sessions for its changelog. Changelog key: [key, start, end]. */
export class ChangeloggingSessionStore<K, V>
  extends ChangeloggingBase<SessionStore<K, V>>
  implements SessionStore<K, V>, ChangeloggingStore
{
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  protected current(changelogKey: unknown): unknown {
    const [key, start, end] = changelogKey as [K, number, number];
    return this.inner.fetchSession(key, { start, end });
  }

  private mark(key: K, session: SessionWindow): void {
    this.dirty.set(entryId([key, session.start, session.end]), [key, session.start, session.end]);
  }

  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number) {
    return this.inner.findSessions(key, earliestSessionEnd, latestSessionStart);
  }

  fetchSession(key: K, session: SessionWindow): V | undefined {
    return this.inner.fetchSession(key, session);
  }

  put(key: K, session: SessionWindow, value: V): void {
    this.inner.put(key, session, value);
    this.mark(key, session);
  }

  remove(key: K, session: SessionWindow): void {
    this.inner.remove(key, session);
    this.mark(key, session);
  }

  all() {
    return this.inner.all();
  }

  restore(changelogKey: unknown, value: unknown): void {
    const [key, start, end] = changelogKey as [K, number, number];
    if (value === null || value === undefined) this.inner.remove(key, { start, end });
    else this.inner.put(key, { start, end }, value as V);
  }
}
