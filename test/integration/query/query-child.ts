/** Runs fixtures/query-app.ts as a child process and follows the lines it prints. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/query-app.ts', import.meta.url));

/** A running query fixture. */
export interface QueryChild {
  readonly process: ChildProcess;
  /** Resolves with the rest of the first line that starts with `prefix` (e.g. "SERVING "). */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<number | string>;
  /** The last 8,000 characters the child wrote to stderr, for failure messages. */
  stderr(): string;
}

/** Starts the fixture with `env` added to this process's environment. */
export function startQueryChild(env: Record<string, string>): QueryChild {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-8000);
  });
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    process: child,
    exited,
    stderr: () => stderr,
    async line(prefix, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found !== undefined) return found.slice(prefix.length).trim();
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`query fixture never printed "${prefix}"; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
