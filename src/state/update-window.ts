import type { WindowStore, WindowUpdater } from './store.js';

/**
 * Read-modify-write of one window: the store's own `update` when it has one (one lookup), else
 * fetch then put (or delete when `updater` returns undefined). Returns the value now stored.
 * In the fallback the updater also runs for an expired window (the store then ignores the put).
 */
export function updateWindow<K, V>(
  store: WindowStore<K, V>,
  key: K,
  windowStart: number,
  updater: WindowUpdater<V>,
): V | undefined {
  if (store.update !== undefined) return store.update(key, windowStart, updater);
  const value = updater(store.fetch(key, windowStart));
  if (value === undefined) store.delete(key, windowStart);
  else store.put(key, value, windowStart);
  return value;
}
