/**
 * In-memory SessionStore: per key, a short array of sessions sorted by start; a min-heap of
 * session ends finds expired sessions without scanning every key.
 */
import type { EncodedKey } from './key-codec.js';
import { defaultKeyCodec } from './key-codec.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import { checkRetention } from './retention.js';
import { checkSession, findSession, type SessionSlot } from './session-slots.js';
import type { KeyCodec, SessionEntry, SessionStore, SessionWindow } from './store.js';

interface KeySessions<K, V> {
  readonly key: K;
  readonly slots: SessionSlot<V>[];
}

interface ExpiryItem {
  readonly end: number;
  readonly encoded: EncodedKey;
  readonly slot: SessionSlot<unknown>;
}

/**
 * A SessionStore held in memory. Sessions with end <= newestEnd - retentionMs are expired:
 * removed when a put brings a newer end, and puts of such sessions are ignored.
 * Values are kept by reference.
 */
export class MemorySessionStore<K, V> implements SessionStore<K, V> {
  readonly persistent = false;
  private readonly sessions = new OrderedKeyMap<KeySessions<K, V>>();
  /** Min-heap by end; may hold sessions already removed (checked when popped). */
  private readonly expiry: ExpiryItem[] = [];
  private newestEnd = Number.NEGATIVE_INFINITY;
  private liveSessions = 0;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    private readonly codec: KeyCodec<K> = defaultKeyCodec<K>(),
  ) {
    checkRetention('session', name, retentionMs);
  }

  *findSessions(
    key: K,
    earliestSessionEnd: number,
    latestSessionStart: number,
  ): Generator<SessionEntry<K, V>> {
    const entry = this.sessions.get(this.codec.encode(key));
    if (entry === undefined) return;
    for (const slot of entry.slots.slice()) {
      if (slot.start > latestSessionStart) return;
      if (slot.end >= earliestSessionEnd) yield toEntry(entry.key, slot);
    }
  }

  fetchSession(key: K, session: SessionWindow): V | undefined {
    const entry = this.sessions.get(this.codec.encode(key));
    if (entry === undefined) return undefined;
    const at = findSession(entry.slots, session);
    return at >= 0 ? entry.slots[at]!.value : undefined;
  }

  put(key: K, session: SessionWindow, value: V): void {
    checkSession(this.name, session);
    if (value === undefined) {
      this.remove(key, session);
      return;
    }
    if (session.end > this.newestEnd) this.advanceTo(session.end);
    else if (session.end <= this.newestEnd - this.retentionMs) return;
    const encoded = this.codec.encode(key);
    let entry = this.sessions.get(encoded);
    if (entry === undefined) {
      entry = { key, slots: [] };
      this.sessions.set(encoded, entry);
    }
    const at = findSession(entry.slots, session);
    if (at >= 0) {
      entry.slots[at]!.value = value;
      return;
    }
    const slot: SessionSlot<V> = { start: session.start, end: session.end, value, dirty: false };
    entry.slots.splice(~at, 0, slot);
    this.liveSessions++;
    pushHeap(this.expiry, { end: slot.end, encoded, slot });
    // Removed sessions stay in the heap until their end expires; rebuild if they pile up.
    if (this.expiry.length > 2 * this.liveSessions + 1024) this.rebuildExpiry();
  }

  remove(key: K, session: SessionWindow): void {
    const encoded = this.codec.encode(key);
    const entry = this.sessions.get(encoded);
    if (entry === undefined) return;
    const at = findSession(entry.slots, session);
    if (at < 0) return;
    entry.slots.splice(at, 1);
    this.liveSessions--;
    if (entry.slots.length === 0) this.sessions.delete(encoded);
  }

  *all(): Generator<SessionEntry<K, V>> {
    for (const encoded of this.sessions.keysBetween()) {
      const entry = this.sessions.get(encoded);
      if (entry === undefined) continue;
      for (const slot of entry.slots.slice()) yield toEntry(entry.key, slot);
    }
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.sessions.clear();
    this.expiry.length = 0;
    this.liveSessions = 0;
  }

  private advanceTo(end: number): void {
    this.newestEnd = end;
    const limit = end - this.retentionMs;
    while (this.expiry.length > 0 && this.expiry[0]!.end <= limit) {
      const item = popHeap(this.expiry);
      const entry = this.sessions.get(item.encoded);
      if (entry === undefined) continue;
      const at = entry.slots.indexOf(item.slot as SessionSlot<V>);
      if (at < 0) continue; // removed earlier
      entry.slots.splice(at, 1);
      this.liveSessions--;
      if (entry.slots.length === 0) this.sessions.delete(item.encoded);
    }
  }

  private rebuildExpiry(): void {
    this.expiry.length = 0;
    for (const [encoded, entry] of this.sessions.entries()) {
      for (const slot of entry.slots) pushHeap(this.expiry, { end: slot.end, encoded, slot });
    }
  }
}

function toEntry<K, V>(key: K, slot: SessionSlot<V>): SessionEntry<K, V> {
  return { key, session: { start: slot.start, end: slot.end }, value: slot.value };
}

function pushHeap(heap: ExpiryItem[], item: ExpiryItem): void {
  let at = heap.push(item) - 1;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (heap[parent]!.end <= item.end) break;
    heap[at] = heap[parent]!;
    at = parent;
  }
  heap[at] = item;
}

function popHeap(heap: ExpiryItem[]): ExpiryItem {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]!.end < heap[left]!.end ? right : left;
    if (heap[child]!.end >= last.end) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = last;
  return top;
}
