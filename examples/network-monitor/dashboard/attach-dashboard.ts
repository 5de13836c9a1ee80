/**
 * The monitor's hook for the dashboard: follows the snapshot feed, serves the live dashboard when
 * asked (`--dashboard-port`, on by default in the demo) and writes the HTML report (`--report`) when
 * the feed completes at the end of the run, then closes the server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import type { MonitorSnapshot } from '../types.js';
import type { DashboardFlags } from './dashboard-flags.js';
import { type DashboardFeed, DashboardModel } from './dashboard-model.js';
import { type DashboardServer, startDashboardServer } from './dashboard-server.js';
import { renderReport } from './report.js';

/** What the hook needs of the monitor (the app's SnapshotProducer fits). */
export interface MonitorFeed extends DashboardFeed {
  /** Every published snapshot; completes when the run ends. */
  readonly snapshots$: Observable<MonitorSnapshot>;
}

/** The attached dashboard. */
export interface AttachedDashboard {
  /** The dashboard's URL when it is served. */
  readonly url: string | undefined;
  /** Resolves once the report is written and the server closed (after the feed completed). */
  readonly done: Promise<void>;
}

/**
 * Attaches the dashboard and the report to `feed` as `flags` say; `info` shows a line to the user
 * (the URL, where the report went). Rejects when the server cannot listen.
 */
export async function attachDashboard(
  flags: DashboardFlags,
  feed: MonitorFeed,
  info: (line: string) => void,
  title = 'network monitor',
): Promise<AttachedDashboard> {
  if (flags.server === undefined && flags.report === undefined)
    return { url: undefined, done: Promise.resolve() };
  const model = new DashboardModel();
  let server: DashboardServer | undefined;
  if (flags.server) {
    const { host, port, anyPortIfTaken } = flags.server;
    server = await startDashboardServer({ host, port, model, feed }).catch((error: Error) => {
      if (!anyPortIfTaken) throw error;
      info(`dashboard: port ${port} is taken, using a free one`);
      return startDashboardServer({ host, port: 0, model, feed });
    });
    info(`dashboard ${server.url}`);
  }
  const done = new Promise<void>((resolveDone) => {
    feed.snapshots$.subscribe({
      next(snapshot) {
        model.observe(snapshot);
        server?.push(snapshot);
      },
      complete() {
        if (flags.report !== undefined) writeReport(flags.report, model, feed, title, info);
        void (server?.close() ?? Promise.resolve()).then(resolveDone);
      },
    });
  });
  return { url: server?.url, done };
}

function writeReport(
  file: string,
  model: DashboardModel,
  feed: DashboardFeed,
  title: string,
  info: (line: string) => void,
): void {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const html = renderReport({
      title,
      snapshot: model.snapshot ?? feed.current(),
      series: model.history.series(),
      alerts: model.allAlerts(),
      generatedAt: Date.now(),
    });
    writeFileSync(path, html);
    info(`report ${path}`);
  } catch (error) {
    info(`the report could not be written to ${path}: ${(error as Error).message}`);
  }
}
