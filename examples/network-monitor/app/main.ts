/**
 * The monitor's command-line entry: parse, run the role, print errors the way a user can act on
 * them, and return the exit status (0 done, 1 the run failed, 2 bad flags).
 */

import { DASHBOARD_HELP, type DashboardFlags, splitDashboardFlags } from '../dashboard/dashboard-flags.js';
import { assertSomeBrokerReachable } from './broker-check.js';
import { parseCli } from './cli-options.js';
import { HELP_TEXT } from './help-text.js';
import { UsageError } from './usage-error.js';
import type { MonitorIo } from './views.js';

/** Runs the monitor with `args` (without node and script); resolves to the exit status. */
export async function main(args: readonly string[], io: MonitorIo = process): Promise<number> {
  let command: ReturnType<typeof parseCli>;
  let dashboard: DashboardFlags; // --dashboard-port / --report: examples/network-monitor/dashboard
  try {
    const split = splitDashboardFlags(args);
    dashboard = split.flags;
    command = parseCli(split.rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`netmon: ${error.message}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(HELP_TEXT + DASHBOARD_HELP);
    return 0;
  }
  const { config } = command;
  try {
    if (config.brokers) await assertSomeBrokerReachable(config.brokers);
    // Loaded only now, so --help and flag mistakes answer at once (the SDKs take seconds to load).
    if (config.role === 'capture') await (await import('./capture-role.js')).runCapture(config, io);
    else await (await import('./run-monitor.js')).runMonitor(config, io, dashboard);
    return 0;
  } catch (error) {
    io.stderr.write(`netmon: ${(error as Error).message ?? String(error)}\n`);
    if (process.env.NETMON_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
