/** Runs examples/network-monitor.ts as a real child process and collects what it prints. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../../examples/network-monitor.ts', import.meta.url));

/** A running monitor process. */
export interface MonitorProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Another user to run the monitor as (the test runs as root). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** Starts `node --import tsx examples/network-monitor.ts ...args` in the repository root. */
export function startMonitor(
  args: readonly string[],
  env: Record<string, string> = {},
  runAs?: RunAs,
): MonitorProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...runAs,
  });
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    for (const l of [...listeners]) l();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return;
          listeners.splice(listeners.indexOf(check), 1);
          clearTimeout(timer);
          resolve(line);
        };
        const timer = setTimeout(() => {
          listeners.splice(listeners.indexOf(check), 1);
          reject(
            new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`),
          );
        }, timeoutMs);
        listeners.push(check);
        check();
      });
    },
  };
}

/** Runs the monitor to its end; resolves with its exit status and output. */
export async function runMonitorCli(
  args: readonly string[],
  env: Record<string, string> = {},
  runAs?: RunAs,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = startMonitor(args, env, runAs);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The last line of `stdout` parsed as the run's JSON summary. */
export function summaryOf(stdout: string): {
  packets: number;
  packetsByLayer: Record<string, number>;
  alertsByDetector: Record<string, number>;
  alerts: number;
  duckdb: string | null;
  durationMs: number;
} {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}
