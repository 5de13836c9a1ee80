/**
 * One run of the capture processes: tshark alone for a replay, dumpcap -> FIFO -> tshark for a
 * live capture (why: capture-command.ts). Starts them, exposes tshark's stdout as chunks, stops
 * them (SIGTERM, then SIGKILL after the stop timeout), and explains how they ended.
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dumpcapArgs, tsharkArgs } from './capture-command.js';
import { PcapFileError, TsharkExitedError, TsharkNotFoundError } from './errors.js';
import { ManagedProcess, type ProcessExit } from './managed-process.js';
import type { ResolvedTsharkOptions } from './options.js';
import { findLibStdbuf, withOutputBuffer } from './output-buffering.js';
import {
  type CaptureStatistics,
  diagnoseCaptureFailure,
  diagnoseTsharkFailure,
  parseCaptureStatistics,
} from './stderr-diagnosis.js';

const execFileAsync = promisify(execFile);

function failed(exit: ProcessExit): boolean {
  return exit.spawnError !== undefined || exit.code !== 0 || exit.signal !== null;
}

/** Refuses a replay of a file that is not there, before tshark says it less clearly. */
async function checkCaptureFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile() && !info.isFIFO()) throw new PcapFileError(file, 'unreadable');
  } catch (error) {
    if (error instanceof PcapFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PcapFileError(file, code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable');
  }
}

/** The running processes of one `batches()` iteration. */
export class CaptureRun {
  /** tshark's stdout, chunk by chunk; read only through this iterator. */
  readonly chunks: AsyncIterator<Buffer>;
  private stopping: Promise<void> | undefined;
  private stopRequested = false;
  /** Set when the run killed one process because the other had ended. */
  private readonly killedByRun = new Set<ManagedProcess>();

  private constructor(
    private readonly options: ResolvedTsharkOptions,
    readonly tshark: ManagedProcess,
    readonly dumpcap: ManagedProcess | undefined,
    private readonly workDir: string | undefined,
  ) {
    const stdout = tshark.stdout;
    if (!stdout) throw new Error('tshark was started without a stdout pipe');
    this.chunks = stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    if (dumpcap) {
      // Each process is useless without the other, and may block forever opening the FIFO alone.
      void dumpcap.exited.then((exit) => {
        if (failed(exit) && !this.stopRequested) this.killBecauseOtherEnded(tshark);
      });
      void tshark.exited.then(() => {
        if (!this.stopRequested) this.killBecauseOtherEnded(dumpcap);
      });
    }
  }

  /** Starts the processes for `options` (replay: checks the file first). */
  static async start(options: ResolvedTsharkOptions): Promise<CaptureRun> {
    const identity = options.runAs;
    const env = identity ? { ...process.env, HOME: tmpdir() } : process.env;
    const common = { env, uid: identity?.uid, gid: identity?.gid };
    if (options.mode === 'replay') {
      const file = options.file!;
      await checkCaptureFile(file);
      const tshark = new ManagedProcess({
        program: 'tshark',
        path: options.tsharkPath,
        args: tsharkArgs(options, file),
        stdout: 'pipe',
        ...common,
        env: withOutputBuffer(env, options.outputBufferBytes, findLibStdbuf()),
      });
      return new CaptureRun(options, tshark, undefined, undefined);
    }
    const workDir = await mkdtemp(join(tmpdir(), 'tributary-capture-'));
    const fifo = join(workDir, 'capture.pcapng');
    try {
      if (identity) await chown(workDir, identity.uid, identity.gid);
      await execFileAsync('mkfifo', ['-m', '0600', fifo]);
      if (identity) await chown(fifo, identity.uid, identity.gid);
    } catch (error) {
      await rm(workDir, { recursive: true, force: true });
      throw new Error(
        `Could not create the capture FIFO ${fifo} (needs \`mkfifo\` from coreutils): ${error}`,
        {
          cause: error,
        },
      );
    }
    const dumpcap = new ManagedProcess({
      program: 'dumpcap',
      path: options.dumpcapPath,
      args: dumpcapArgs(options, fifo),
      stdout: 'ignore',
      ...common,
    });
    const tshark = new ManagedProcess({
      program: 'tshark',
      path: options.tsharkPath,
      args: tsharkArgs(options, fifo),
      stdout: 'pipe',
      ...common,
    });
    return new CaptureRun(options, tshark, dumpcap, workDir);
  }

  /** Capture statistics dumpcap printed at exit (live mode, once it has exited). */
  statistics(): CaptureStatistics {
    return parseCaptureStatistics(this.dumpcap?.stderr.raw() ?? '');
  }

  /**
   * Stops the run: dumpcap first (SIGTERM lets it print its drop statistics and close the FIFO),
   * then tshark, each escalating to SIGKILL after the stop timeout. tshark's remaining output is
   * drained and discarded meanwhile so a tshark blocked on its pipe can exit. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopRequested = true;
    this.stopping ??= this.stopProcesses();
    return this.stopping;
  }

  private async stopProcesses(): Promise<void> {
    const drained = this.drain();
    if (this.dumpcap) await this.dumpcap.terminate(this.options.stopTimeoutMs);
    await this.tshark.terminate(this.options.stopTimeoutMs);
    await drained;
    await this.removeWorkDir();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) if ((await this.chunks.next()).done) return;
    } catch {
      // A stream error while shutting down changes nothing: the processes are being stopped anyway.
    }
  }

  /**
   * After tshark's output has ended: waits for the processes, cleans up, and returns the error
   * that explains a failure (undefined for a normal end or a requested stop).
   */
  async outcome(packetsSeen: boolean): Promise<Error | undefined> {
    const tsharkExit = await this.tshark.exited;
    const dumpcapExit = this.dumpcap ? await this.dumpcap.exited : undefined;
    await this.removeWorkDir();
    if (this.stopRequested) return undefined;
    if (this.dumpcap && dumpcapExit && failed(dumpcapExit) && !this.killedByRun.has(this.dumpcap)) {
      return this.explain(this.dumpcap, dumpcapExit, packetsSeen);
    }
    if (failed(tsharkExit) && !this.killedByRun.has(this.tshark)) {
      return this.explain(this.tshark, tsharkExit, packetsSeen);
    }
    return undefined;
  }

  private explain(child: ManagedProcess, exit: ProcessExit, packetsSeen: boolean): Error {
    if (exit.spawnError)
      return new TsharkNotFoundError(child.program, child.path, { cause: exit.spawnError });
    const stderr = child.stderr.raw();
    const tail = child.stderr.lines();
    const known =
      child.program === 'dumpcap'
        ? diagnoseCaptureFailure(stderr, tail, {
            interfaceName: this.options.interfaceName ?? '',
            captureFilter: this.options.captureFilter,
          })
        : diagnoseTsharkFailure(stderr, tail, {
            file: this.options.file ?? '',
            displayFilter: this.options.displayFilter,
            extraFields: this.options.extraFields,
            packetsSeen,
          });
    return known ?? new TsharkExitedError(child.program, exit.code, exit.signal, tail);
  }

  private killBecauseOtherEnded(child: ManagedProcess): void {
    if (!child.running) return;
    this.killedByRun.add(child);
    void child.terminate(this.options.stopTimeoutMs);
  }

  private async removeWorkDir(): Promise<void> {
    if (this.workDir) await rm(this.workDir, { recursive: true, force: true });
  }
}
