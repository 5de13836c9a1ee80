/**
 * The monitor's command-line entry: parse, run the role, print errors the way a user can act on
 * them, and return the exit status (0 done, 1 the run failed, 2 bad flags).
 */

import { DASHBOARD_HELP, type DashboardFlags, splitDashboardFlags } from '../dashboard/dashboard-flags.js';
import { assertSomeBrokerReachable } from './broker-check.js';
import { cliErrorMessage } from './cli-error.js';
import { type NetmonConfig, parseCli } from './cli-options.js';
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
    else await runWithRestarts(config, io, dashboard);
    return 0;
  } catch (error) {
    io.stderr.write(`netmon: ${cliErrorMessage(error)}\n`);
    if (process.env.NETMON_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

/** Starts a process instance again after a transient Kafka failure at startup (at most this often). */
const MAX_STARTUP_RESTARTS = 3;
/** A failure this soon after the start counts as a startup failure. */
const STARTUP_MS = 60_000;

/** True for broker errors that go away by themselves (a partition leader not elected yet, a moving coordinator). */
function isTransientKafkaError(error: unknown): boolean {
  const e = error as { retriable?: unknown; message?: unknown } | undefined;
  if (e?.retriable === true) return true;
  return /not the leader|leader not available|coordinator is not available/i.test(String(e?.message ?? ''));
}

/**
 * Runs the monitor; on Kafka, a transient broker error in the first minute (topics the group just
 * created may not have leaders yet) restarts the instance instead of failing it, as a supervisor would.
 */
async function runWithRestarts(
  config: NetmonConfig,
  io: MonitorIo,
  dashboard: DashboardFlags,
): Promise<void> {
  const { runMonitor } = await import('./run-monitor.js');
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    try {
      await runMonitor(config, io, dashboard);
      return;
    } catch (error) {
      const early = Date.now() - startedAt < STARTUP_MS;
      if (!config.brokers || !early || attempt > MAX_STARTUP_RESTARTS || !isTransientKafkaError(error))
        throw error;
      io.stderr.write(
        `netmon: ${(error as Error).message}; restarting (${attempt}/${MAX_STARTUP_RESTARTS})\n`,
      );
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}
