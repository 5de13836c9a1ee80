/**
 * The dashboard's command-line flags, read apart from the monitor's own (the app's parser never sees
 * them): `--dashboard-port N`, `--dashboard-host HOST` and `--report FILE.html`. With `--demo` the
 * dashboard is on at {@link DEMO_DASHBOARD_PORT} unless `--dashboard-port off` says otherwise.
 */
import { UsageError } from '../app/usage-error.js';

/** The port the demo serves the dashboard on when no `--dashboard-port` is given. */
export const DEMO_DASHBOARD_PORT = 8787;

/** Where the dashboard listens. */
export interface DashboardAddress {
  readonly host: string;
  readonly port: number;
  /** The demo's default port: when it is taken (another demo runs), any free port will do. */
  readonly anyPortIfTaken: boolean;
}

/** What the dashboard flags decide. */
export interface DashboardFlags {
  /** Serve the dashboard here; undefined: no dashboard. */
  readonly server: DashboardAddress | undefined;
  /** Write a self-contained HTML report of the run to this file at its end. */
  readonly report: string | undefined;
}

/** No dashboard and no report. */
export const NO_DASHBOARD: DashboardFlags = { server: undefined, report: undefined };

/** The help lines of the dashboard flags (appended to the monitor's --help). */
export const DASHBOARD_HELP = `
Dashboard:
  --dashboard-port N       live web dashboard on 127.0.0.1:N (0 = any free port; --demo: ${DEMO_DASHBOARD_PORT}, "off" to disable)
  --dashboard-host HOST    bind address of the dashboard (default 127.0.0.1)
  --report FILE.html       write a self-contained HTML report of the run at its end
`;

const OWN_FLAGS = new Set(['--dashboard-port', '--dashboard-host', '--report']);

/** Takes the dashboard flags out of `args`; returns them and the rest for the monitor's parser. */
export function splitDashboardFlags(args: readonly string[]): { rest: string[]; flags: DashboardFlags } {
  const rest: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!OWN_FLAGS.has(name)) {
      rest.push(arg);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new UsageError(`${name} needs a value, e.g. ${example(name)}.`);
    }
    values.set(name, value);
  }
  const demo = rest.includes('--demo');
  return { rest, flags: flagsOf(values, demo) };
}

function flagsOf(values: Map<string, string>, demo: boolean): DashboardFlags {
  const portText = values.get('--dashboard-port');
  const host = values.get('--dashboard-host') ?? '127.0.0.1';
  const report = values.get('--report');
  if (portText === 'off' || (portText === undefined && !demo)) {
    if (values.has('--dashboard-host'))
      throw new UsageError('--dashboard-host needs --dashboard-port N as well.');
    return { server: undefined, report };
  }
  if (portText === undefined)
    return { server: { host, port: DEMO_DASHBOARD_PORT, anyPortIfTaken: true }, report };
  return { server: { host, port: portOf(portText), anyPortIfTaken: false }, report };
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new UsageError(`--dashboard-port must be a port from 0 to 65535 (or "off"), got "${text}".`);
  }
  return port;
}

function example(flag: string): string {
  if (flag === '--report') return '--report run.html';
  return flag === '--dashboard-host' ? '--dashboard-host 0.0.0.0' : '--dashboard-port 8787';
}
