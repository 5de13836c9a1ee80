/**
 * What the dashboard knows about the run: the latest snapshot, the rate history the charts draw and
 * every alert raised (the snapshot holds only the newest 100). Fed one snapshot at a time.
 */
import type { Alert, MonitorSnapshot, SourceWindowStats } from '../types.js';
import { RateHistory } from './rate-history.js';

/** Where the dashboard reads the monitor (the app's SnapshotProducer fits). */
export interface DashboardFeed {
  /** The latest snapshot. */
  current(): MonitorSnapshot;
  /** Every source's latest figures in the current window. */
  currentWindowStats(): SourceWindowStats[];
}

/** Sources matching a search, busiest (bytes) first. */
export interface SourceSearchResult {
  /** Sources in the current window that match. */
  readonly matched: number;
  readonly sources: readonly SourceWindowStats[];
}

const MAX_ALERTS = 5000;

/** The dashboard's picture of the run. */
export class DashboardModel {
  readonly history = new RateHistory();
  private readonly alerts: Alert[] = [];
  private readonly alertIds = new Set<string>();
  private latest: MonitorSnapshot | undefined;

  /** Takes in a published snapshot. */
  observe(snapshot: MonitorSnapshot): void {
    this.latest = snapshot;
    this.history.add(snapshot);
    // recentAlerts is newest first: walk it backwards to keep the log in firing order.
    for (let i = snapshot.recentAlerts.length - 1; i >= 0; i--) {
      const alert = snapshot.recentAlerts[i] as Alert;
      const key = alertKey(alert);
      if (this.alertIds.has(key)) continue;
      this.alertIds.add(key);
      this.alerts.push(alert);
      if (this.alerts.length > MAX_ALERTS) this.alertIds.delete(alertKey(this.alerts.shift() as Alert));
    }
  }

  /** The latest snapshot seen, if any. */
  get snapshot(): MonitorSnapshot | undefined {
    return this.latest;
  }

  /** Every alert seen (at most 5000, oldest dropped first), in firing order. */
  allAlerts(): readonly Alert[] {
    return this.alerts;
  }
}

/**
 * One firing of an alert. Not `alert.id` alone: the gate raises a condition again when it escalates
 * (a warning port scan turning critical keeps its id), and both firings belong in the feed.
 */
export function alertKey(alert: Alert): string {
  return `${alert.id}|${alert.severity}|${alert.firedAt}`;
}

/** Sources of `stats` whose address contains `query` (case-insensitive), busiest first, at most `limit`. */
export function searchSources(
  stats: readonly SourceWindowStats[],
  query: string,
  limit: number,
): SourceSearchResult {
  const needle = query.trim().toLowerCase();
  const matching = needle === '' ? [...stats] : stats.filter((s) => s.source.toLowerCase().includes(needle));
  matching.sort((a, b) => b.bytes - a.bytes || a.source.localeCompare(b.source));
  return { matched: matching.length, sources: matching.slice(0, limit) };
}
