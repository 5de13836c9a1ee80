/**
 * A child process the source owns: spawned once, its stderr kept (bounded), its exit awaited, and
 * stopped with SIGTERM then SIGKILL after a timeout. Node reaps the child when it exits, so once
 * `exited` has resolved no zombie is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { CaptureProgram } from './errors.js';
import { StderrTail } from './stderr-tail.js';

/** How a child process ended. `spawnError` is set when it never started (ENOENT, EACCES). */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError: NodeJS.ErrnoException | undefined;
}

/** Options for starting a managed process. */
export interface ManagedProcessOptions {
  readonly program: CaptureProgram;
  readonly path: string;
  readonly args: readonly string[];
  /** Pipe stdout to the parent (tshark) or discard it (dumpcap writes to a FIFO instead). */
  readonly stdout: 'pipe' | 'ignore';
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
}

/** One running tshark or dumpcap. */
export class ManagedProcess {
  readonly program: CaptureProgram;
  readonly path: string;
  /** Where the process's stdout can be read (when spawned with `stdout: 'pipe'`). */
  readonly stdout: Readable | null;
  readonly stderr = new StderrTail();
  /** Resolves once, when the process has exited (or failed to spawn). Never rejects. */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private exit: ProcessExit | undefined;
  private terminating: Promise<void> | undefined;

  constructor(options: ManagedProcessOptions) {
    this.program = options.program;
    this.path = options.path;
    this.child = spawn(options.path, [...options.args], {
      stdio: ['ignore', options.stdout, 'pipe'],
      env: options.env,
      uid: options.uid,
      gid: options.gid,
    });
    this.stdout = this.child.stdout;
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise<ProcessExit>((resolve) => {
      const settle = (exit: ProcessExit): void => {
        if (this.exit) return;
        this.exit = exit;
        resolve(exit);
      };
      this.child.on('error', (error: NodeJS.ErrnoException) => {
        // 'error' also fires for a failed kill; only a failure to start means the process is gone.
        if (this.child.pid === undefined) settle({ code: null, signal: null, spawnError: error });
      });
      this.child.once('exit', (code, signal) => settle({ code, signal, spawnError: undefined }));
    });
  }

  /** The OS process id, or undefined if the process never started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** How the process ended, once it has. */
  get exitStatus(): ProcessExit | undefined {
    return this.exit;
  }

  /** Sends a signal if the process is still running. */
  signal(signal: NodeJS.Signals): void {
    if (this.running && this.child.pid !== undefined) this.child.kill(signal);
  }

  /**
   * Stops the process: SIGTERM, then SIGKILL if it has not exited within `timeoutMs`.
   * Resolves when it has exited. Safe to call repeatedly.
   */
  terminate(timeoutMs: number): Promise<void> {
    this.terminating ??= this.stop(timeoutMs);
    return this.terminating;
  }

  private async stop(timeoutMs: number): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.signal('SIGKILL');
      await this.exited;
    }
  }
}
