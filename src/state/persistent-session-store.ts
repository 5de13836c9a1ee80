/**
 * Persistent SessionStore on LMDB. On disk a session is [encodedKey, start, end] -> value, so
 * one key's sessions are one contiguous range in start order; a second table [end, key, start]
 * finds expired sessions without a full scan. The cache holds all sessions of a key at once
 * (loaded on first use), which makes the cache authoritative for every key it holds.
 */
import { assertKeyFitsOnDisk, type DiskKey } from './disk-key.js';
import { compareEncodedKeys, defaultKeyCodec, type EncodedKey } from './key-codec.js';
import type { DiskWriter } from './lmdb-database.js';
import { OrderedKeyMap } from './ordered-key-map.js';
import { META_TABLE, PersistentStore, type PersistentStoreOptions } from './persistent-store.js';
import { checkRetention } from './retention.js';
import { checkSession, findSession, type SessionSlot } from './session-slots.js';
import type { KeyCodec, SessionEntry, SessionStore, SessionWindow } from './store.js';

const SESSIONS = 'sessions';
const ENDS = 'sessionEnds';
const NEWEST_END_KEY: DiskKey = ['newestEnd'];

/** All sessions of one key, as cached. */
interface CachedSessions<K, V> {
  readonly key: K;
  readonly slots: SessionSlot<V>[];
  /** Sessions removed since the last flush (to delete from disk). */
  removed: SessionWindow[];
  dirty: boolean;
}

/**
 * A SessionStore on disk under `directory`. Sessions with end <= newestEnd - retentionMs are
 * expired: never returned, and deleted from disk at the next flush. Values must be plain data.
 */
export class PersistentSessionStore<K, V> extends PersistentStore implements SessionStore<K, V> {
  private readonly cache = new OrderedKeyMap<CachedSessions<K, V>>();
  private dirtyKeys = 0;
  private newestEnd: number;
  private flushedNewestEnd: number;
  /** Smallest session end on disk, or +Infinity. */
  private oldestDiskEnd: number;

  constructor(
    name: string,
    directory: string,
    readonly retentionMs: number,
    private readonly codec: KeyCodec<K> = defaultKeyCodec<K>(),
    options: PersistentStoreOptions = {},
  ) {
    checkRetention('session', name, retentionMs);
    super(name, directory, [SESSIONS, ENDS], options);
    this.newestEnd =
      (this.db.get(META_TABLE, NEWEST_END_KEY) as number | undefined) ?? Number.NEGATIVE_INFINITY;
    this.flushedNewestEnd = this.newestEnd;
    this.oldestDiskEnd = this.readOldestDiskEnd();
  }

  *findSessions(
    key: K,
    earliestSessionEnd: number,
    latestSessionStart: number,
  ): Generator<SessionEntry<K, V>> {
    const limit = this.expiryLimit();
    const entry = this.load(key, this.codec.encode(key));
    for (const slot of entry.slots.slice()) {
      if (slot.start > latestSessionStart) return;
      if (slot.end >= earliestSessionEnd && slot.end > limit) yield toEntry(entry.key, slot);
    }
  }

  fetchSession(key: K, session: SessionWindow): V | undefined {
    const entry = this.load(key, this.codec.encode(key));
    const at = findSession(entry.slots, session);
    if (at < 0 || session.end <= this.expiryLimit()) return undefined;
    return entry.slots[at]!.value;
  }

  put(key: K, session: SessionWindow, value: V): void {
    checkSession(this.name, session);
    if (value === undefined) {
      this.remove(key, session);
      return;
    }
    this.assertOpen();
    if (session.end > this.newestEnd) this.advanceTo(session.end);
    else if (session.end <= this.expiryLimit()) return;
    const encoded = this.codec.encode(key);
    assertKeyFitsOnDisk(encoded, 2);
    const entry = this.load(key, encoded, false);
    const at = findSession(entry.slots, session);
    let added = 0;
    if (at >= 0) {
      const slot = entry.slots[at]!;
      slot.value = value;
      slot.dirty = true;
    } else {
      entry.slots.splice(~at, 0, { start: session.start, end: session.end, value, dirty: true });
      added = 1;
    }
    this.markDirty(entry);
    // Only now, with the entry dirty, may the cache evict.
    this.noteCached(added);
  }

  remove(key: K, session: SessionWindow): void {
    const entry = this.load(key, this.codec.encode(key), false);
    const at = findSession(entry.slots, session);
    if (at >= 0) {
      entry.slots.splice(at, 1);
      entry.removed.push({ start: session.start, end: session.end });
      this.markDirty(entry);
    }
    this.noteCached(at >= 0 ? -1 : 0);
  }

  *all(): Generator<SessionEntry<K, V>> {
    this.assertOpen();
    const limit = this.expiryLimit();
    const cachedKeys = [...this.cache.keysBetween()];
    let next = 0;
    let served: EncodedKey | undefined;
    for (const { key: diskKey, value } of this.db.entries(SESSIONS)) {
      const encoded = diskKey[0]!;
      while (next < cachedKeys.length && compareEncodedKeys(cachedKeys[next]!, encoded) <= 0) {
        served = cachedKeys[next++]!;
        yield* this.cachedSessions(served, limit);
      }
      // Keys in the cache were served from it (the cache holds all their sessions).
      if (encoded === served || this.cache.get(encoded) !== undefined) continue;
      const end = diskKey[2] as number;
      if (end <= limit) continue;
      const session = { start: diskKey[1] as number, end };
      yield { key: this.codec.decode(encoded), session, value: value as V };
    }
    while (next < cachedKeys.length) yield* this.cachedSessions(cachedKeys[next++]!, limit);
  }

  protected hasChanges(): boolean {
    return (
      this.dirtyKeys > 0 ||
      this.newestEnd !== this.flushedNewestEnd ||
      this.oldestDiskEnd <= this.expiryLimit()
    );
  }

  protected writeChanges(writer: DiskWriter): void {
    const limit = this.expiryLimit();
    for (const [encoded, entry] of this.cache.entries()) {
      if (!entry.dirty) continue;
      for (const { start, end } of entry.removed) {
        writer.remove(SESSIONS, [encoded, start, end]);
        writer.remove(ENDS, [end, encoded, start]);
      }
      for (const slot of entry.slots) {
        if (!slot.dirty || slot.end <= limit) continue;
        writer.put(SESSIONS, [encoded, slot.start, slot.end], slot.value);
        writer.put(ENDS, [slot.end, encoded, slot.start], null);
      }
    }
    if (this.oldestDiskEnd <= limit) {
      const expired: DiskKey[] = [];
      for (const key of this.db.keys(ENDS)) {
        if ((key[0] as number) > limit) break;
        expired.push(key);
      }
      for (const [end, encoded, start] of expired) {
        writer.remove(SESSIONS, [encoded!, start!, end!]);
        writer.remove(ENDS, [end!, encoded!, start!]);
      }
    }
    writer.put(META_TABLE, NEWEST_END_KEY, this.newestEnd);
  }

  protected changesWritten(): void {
    const limit = this.expiryLimit();
    let dropped = 0;
    for (const [, entry] of this.cache.entries()) {
      entry.dirty = false;
      entry.removed = [];
      for (let i = entry.slots.length - 1; i >= 0; i--) {
        const slot = entry.slots[i]!;
        slot.dirty = false;
        if (slot.end <= limit) {
          entry.slots.splice(i, 1);
          dropped++;
        }
      }
    }
    this.dirtyKeys = 0;
    this.cached -= dropped;
    this.flushedNewestEnd = this.newestEnd;
    this.oldestDiskEnd = this.readOldestDiskEnd();
  }

  protected evictClean(target: number): void {
    for (const [encoded, entry] of this.cache.entries()) {
      if (this.cached <= target) return;
      if (entry.dirty) continue;
      this.cache.delete(encoded);
      this.cached -= 1 + entry.slots.length;
    }
  }

  protected clearCache(): void {
    this.cache.clear();
    this.dirtyKeys = 0;
  }

  private *cachedSessions(encoded: EncodedKey, limit: number): Generator<SessionEntry<K, V>> {
    const entry = this.cache.get(encoded);
    if (entry === undefined) return;
    for (const slot of entry.slots.slice()) if (slot.end > limit) yield toEntry(entry.key, slot);
  }

  /**
   * The cached sessions of a key, read from disk on a miss. With `countNow` false the caller
   * calls noteCached itself once the entry is dirty, so eviction cannot drop it in between.
   */
  private load(key: K, encoded: EncodedKey, countNow = true): CachedSessions<K, V> {
    this.assertOpen();
    const cached = this.cache.get(encoded);
    if (cached !== undefined) return cached;
    const slots: SessionSlot<V>[] = [];
    for (const { key: diskKey, value } of this.db.entries(SESSIONS, { start: [encoded] })) {
      if (diskKey[0] !== encoded) break;
      slots.push({ start: diskKey[1] as number, end: diskKey[2] as number, value: value as V, dirty: false });
    }
    const entry: CachedSessions<K, V> = { key, slots, removed: [], dirty: false };
    this.cache.set(encoded, entry);
    this.cached += 1 + slots.length;
    if (countNow) this.noteCached(0);
    return entry;
  }

  private markDirty(entry: CachedSessions<K, V>): void {
    if (entry.dirty) return;
    entry.dirty = true;
    this.dirtyKeys++;
  }

  private expiryLimit(): number {
    return this.newestEnd - this.retentionMs;
  }

  private advanceTo(end: number): void {
    this.newestEnd = end;
  }

  private readOldestDiskEnd(): number {
    for (const key of this.db.keys(ENDS, {}, 1)) return key[0] as number;
    return Number.POSITIVE_INFINITY;
  }
}

function toEntry<K, V>(key: K, slot: SessionSlot<V>): SessionEntry<K, V> {
  return { key, session: { start: slot.start, end: slot.end }, value: slot.value };
}
