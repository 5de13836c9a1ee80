/** Runs fixtures/app.ts as a child process (its own StreamsApp instance) and follows its state lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/app.ts', import.meta.url));

/** A running fixture app. */
export interface ChildApp {
  readonly process: ChildProcess;
  /** Resolves when the app printed "STATE <state>". */
  waitForState(state: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal name) once the process ended. */
  readonly exited: Promise<number | string>;
  /** Everything the child wrote to stderr, for failure messages. */
  stderr(): string;
}

/** Starts `node --import tsx fixtures/app.ts` with `env` added to this process's environment. */
export function startChildApp(env: Record<string, string>): ChildApp {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen = new Set<string>();
  const waiters: { state: string; resolve: () => void }[] = [];
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => {
    errors = (errors + d.toString('utf8')).slice(-8000);
  });
  let pending = '';
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('STATE ')) continue;
      const state = line.slice(6).trim();
      seen.add(state);
      for (const w of waiters.filter((x) => x.state === state)) w.resolve();
    }
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    process: child,
    exited,
    stderr: () => errors,
    waitForState(state, timeoutMs = 60_000) {
      if (seen.has(state)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child app never reached ${state}; stderr:\n${errors}`)),
          timeoutMs,
        );
        waiters.push({
          state,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then((how) => {
          clearTimeout(timer);
          reject(new Error(`child app exited (${how}) before ${state}; stderr:\n${errors}`));
        });
      });
    },
  };
}
