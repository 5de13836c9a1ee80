import { compareEncodedKeys, encodeDefaultKey } from '../../state/key-codec.js';
import type {
  KeyValueStore,
  SessionEntry,
  SessionStore,
  SessionWindow,
  StateStore,
  WindowEntry,
  WindowStore,
} from '../../state/store.js';
import type { KeyValue } from '../record.js';
import { mergeSorted } from './merge-sorted.js';

/**
 * Finds a store's local instances for one read. Each call checks the app's state again, so a
 * view stays usable across rebalances (it throws StoreUnavailableError while one runs).
 */
export interface StoreLocator {
  readonly name: string;
  /** The store of every local task that has it. */
  localStores(): StateStore[];
  /**
   * The local store that holds `key`: one store, none (another instance owns the key), or every
   * local one when the key's partition cannot be computed synchronously (an async key serde).
   */
  storesForKey(key: unknown): StateStore[];
}

/**
 * A read-only view of a key/value store over all of this instance's tasks. Iterate results
 * right away: a rebalance closes the stores behind them.
 */
export interface ReadOnlyKeyValueView<K, V> {
  readonly kind: 'key-value';
  readonly name: string;
  /** The value of `key`, or undefined when absent here (see `StreamsApp.queryMetadataForKey` for its owner). */
  get(key: K): V | undefined;
  /** Local entries with from <= key <= to, in key order. */
  range(from: K, to: K): Iterable<KeyValue<K, V>>;
  /** Every local entry, in key order. */
  all(): Iterable<KeyValue<K, V>>;
  /** Sum of the local tasks' estimates. */
  approximateNumEntries(): number;
}

/** A read-only view of a window store over all of this instance's tasks. */
export interface ReadOnlyWindowView<K, V> {
  readonly kind: 'window';
  readonly name: string;
  /** The value of `key` in the window starting at `windowStart`, if any. */
  fetch(key: K, windowStart: number): V | undefined;
  /** Windows of `key` with timeFrom <= start <= timeTo, in start order. */
  fetchRange(key: K, timeFrom: number, timeTo: number): Iterable<WindowEntry<K, V>>;
  /** Local windows of every key with timeFrom <= start <= timeTo, by start then key. */
  fetchAll(timeFrom: number, timeTo: number): Iterable<WindowEntry<K, V>>;
  /** Every local live window, by start then key. */
  all(): Iterable<WindowEntry<K, V>>;
}

/** A read-only view of a session store over all of this instance's tasks. */
export interface ReadOnlySessionView<K, V> {
  readonly kind: 'session';
  readonly name: string;
  /** Sessions of `key` with end >= earliestSessionEnd and start <= latestSessionStart, in start order. */
  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): Iterable<SessionEntry<K, V>>;
  fetchSession(key: K, session: SessionWindow): V | undefined;
  /** Every local live session, by key then start. */
  all(): Iterable<SessionEntry<K, V>>;
}

/** A read-only view of any kind of store; narrow it with `kind`. */
export type QueryableStore<K = unknown, V = unknown> =
  | ReadOnlyKeyValueView<K, V>
  | ReadOnlyWindowView<K, V>
  | ReadOnlySessionView<K, V>;

const byKey = (a: { key: unknown }, b: { key: unknown }) =>
  compareEncodedKeys(encodeDefaultKey(a.key), encodeDefaultKey(b.key));

/** Builds the key/value view. */
export function keyValueView<K, V>(locator: StoreLocator): ReadOnlyKeyValueView<K, V> {
  const local = () => locator.localStores() as KeyValueStore<K, V>[];
  return {
    kind: 'key-value',
    name: locator.name,
    get(key) {
      for (const store of locator.storesForKey(key) as KeyValueStore<K, V>[]) {
        const value = store.get(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    range: (from, to) =>
      mergeSorted(
        local().map((s) => s.range(from, to)),
        byKey,
      ),
    all: () =>
      mergeSorted(
        local().map((s) => s.all()),
        byKey,
      ),
    approximateNumEntries: () => local().reduce((sum, s) => sum + s.approximateNumEntries(), 0),
  };
}

const byStartThenKey = (a: WindowEntry<unknown, unknown>, b: WindowEntry<unknown, unknown>) =>
  a.windowStart - b.windowStart || byKey(a, b);

/** Builds the window view. */
export function windowView<K, V>(locator: StoreLocator): ReadOnlyWindowView<K, V> {
  const local = () => locator.localStores() as WindowStore<K, V>[];
  const forKey = (key: K) => locator.storesForKey(key) as WindowStore<K, V>[];
  return {
    kind: 'window',
    name: locator.name,
    fetch(key, windowStart) {
      for (const store of forKey(key)) {
        const value = store.fetch(key, windowStart);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    fetchRange: (key, timeFrom, timeTo) =>
      mergeSorted(
        forKey(key).map((s) => s.fetchRange(key, timeFrom, timeTo)),
        byStartThenKey,
      ),
    fetchAll: (timeFrom, timeTo) =>
      mergeSorted(
        local().map((s) => s.fetchAll(timeFrom, timeTo)),
        byStartThenKey,
      ),
    all: () =>
      mergeSorted(
        local().map((s) => s.all()),
        byStartThenKey,
      ),
  };
}

const byKeyThenStart = (a: SessionEntry<unknown, unknown>, b: SessionEntry<unknown, unknown>) =>
  byKey(a, b) || a.session.start - b.session.start;

/** Builds the session view. */
export function sessionView<K, V>(locator: StoreLocator): ReadOnlySessionView<K, V> {
  const forKey = (key: K) => locator.storesForKey(key) as SessionStore<K, V>[];
  return {
    kind: 'session',
    name: locator.name,
    findSessions: (key, earliestSessionEnd, latestSessionStart) =>
      mergeSorted(
        forKey(key).map((s) => s.findSessions(key, earliestSessionEnd, latestSessionStart)),
        byKeyThenStart,
      ),
    fetchSession(key, session) {
      for (const store of forKey(key)) {
        const value = store.fetchSession(key, session);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    all: () =>
      mergeSorted(
        (locator.localStores() as SessionStore<K, V>[]).map((s) => s.all()),
        byKeyThenStart,
      ),
  };
}
