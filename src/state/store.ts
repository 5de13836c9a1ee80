/**
 * State store contracts. Reads and writes are synchronous so the hot path stays free of
 * Promises; persistent implementations keep a write-back cache and write to disk in
 * `flush()`, which the runtime calls at commit boundaries (and before close).
 */
import type { KeyValue } from '../runtime/record.js';

/** What every store has in common. */
export interface StateStore {
  /** Unique within a topology; also names the store's changelog topic. */
  readonly name: string;
  /** True when the store keeps its data on disk across process restarts. */
  readonly persistent: boolean;
  /** Writes buffered changes to durable storage (a no-op for in-memory stores). */
  flush(): Promise<void>;
  /** Flushes and releases resources; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** A key/value table. Keys are compared by their encoded form (see KeyCodec). */
export interface KeyValueStore<K, V> extends StateStore {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  /** Puts only when the key is absent; returns the value now stored. */
  putIfAbsent(key: K, value: V): V;
  /** Removes the key; returns the old value, if any. */
  delete(key: K): V | undefined;
  /** Entries with from <= key <= to in key order (by encoded key). */
  range(from: K, to: K): Iterable<KeyValue<K, V>>;
  /** Every entry, in key order (by encoded key). */
  all(): Iterable<KeyValue<K, V>>;
  approximateNumEntries(): number;
}

/** One window's value in a WindowStore. */
export interface WindowEntry<K, V> {
  readonly key: K;
  /** Window start, epoch ms (inclusive). */
  readonly windowStart: number;
  readonly value: V;
}

/**
 * Values per (key, window start). Windows whose start is at or before the newest start seen
 * minus `retentionMs` are expired: never returned, and removed from storage.
 */
export interface WindowStore<K, V> extends StateStore {
  readonly retentionMs: number;
  put(key: K, value: V, windowStart: number): void;
  fetch(key: K, windowStart: number): V | undefined;
  /** Windows of one key with timeFrom <= start <= timeTo, in start order. */
  fetchRange(key: K, timeFrom: number, timeTo: number): Iterable<WindowEntry<K, V>>;
  /** Windows of every key with timeFrom <= start <= timeTo, ordered by start then key. */
  fetchAll(timeFrom: number, timeTo: number): Iterable<WindowEntry<K, V>>;
  delete(key: K, windowStart: number): void;
  /**
   * Read-modify-write of one window with a single lookup (what a windowed aggregation does per
   * window): calls `updater` with the window's value (undefined when absent), stores what it
   * returns (undefined deletes) and returns that. The updater may mutate and return the value it
   * was given. An expired window is left alone: `updater` is not called and undefined is returned.
   * Optional, so stores written before it still fit: use {@link updateWindow} to call it, which
   * falls back to fetch + put.
   */
  update?(key: K, windowStart: number, updater: WindowUpdater<V>): V | undefined;
  /** Every live window, ordered by start then key. */
  all(): Iterable<WindowEntry<K, V>>;
}

/** Computes a window's new value from its current one (undefined: absent); undefined deletes. */
export type WindowUpdater<V> = (previous: V | undefined) => V | undefined;

/** A session window: both ends inclusive, as in Kafka Streams (a single record is [t, t]). */
export interface SessionWindow {
  readonly start: number;
  readonly end: number;
}

/** One session's value in a SessionStore. */
export interface SessionEntry<K, V> {
  readonly key: K;
  readonly session: SessionWindow;
  readonly value: V;
}

/**
 * Sessions per key. Sessions whose end is at or before the newest end seen minus `retentionMs`
 * are expired.
 */
export interface SessionStore<K, V> extends StateStore {
  readonly retentionMs: number;
  /** Sessions of `key` with end >= earliestSessionEnd and start <= latestSessionStart, in start order. */
  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): Iterable<SessionEntry<K, V>>;
  fetchSession(key: K, session: SessionWindow): V | undefined;
  put(key: K, session: SessionWindow, value: V): void;
  remove(key: K, session: SessionWindow): void;
  /** Every live session, ordered by key then start. */
  all(): Iterable<SessionEntry<K, V>>;
}

/**
 * Turns keys into a sortable, comparable form. The default codec keeps strings and numbers as
 * they are and encodes anything else with a stable JSON encoding (object keys sorted).
 */
export interface KeyCodec<K> {
  encode(key: K): string | number;
  decode(encoded: string | number): K;
}

/** The three kinds of state store. */
export type StoreKind = 'key-value' | 'window' | 'session';

/** How a store is made: the DSL records these; each task builds its own store instances from them. */
export interface StoreSpec {
  readonly name: string;
  readonly kind: StoreKind;
  /** 'memory' (default) or 'persistent' (on-disk, under the app's stateDir). */
  readonly backend: 'memory' | 'persistent';
  /** Window and session stores only. */
  readonly retentionMs?: number;
  /** Whether writes also go to a changelog topic (used by the Kafka runtime). Default true. */
  readonly changelog?: boolean;
}

/** What a task hands the store factory so every task gets its own instance and directory. */
export interface StoreContext {
  readonly applicationId: string;
  /** "<subtopology>_<partition>", e.g. "0_2". */
  readonly taskId: string;
  /** Root folder for persistent stores; a store lives in `<stateDir>/<applicationId>/<taskId>/<store>`. */
  readonly stateDir: string;
}
