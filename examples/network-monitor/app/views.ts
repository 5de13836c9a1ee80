/**
 * Chooses and attaches the run's view to a snapshot producer: the live terminal view when stdout is
 * a terminal and `--no-tty` was not given, else plain log lines. Both end with the summary.
 */
import type { Alert } from '../types.js';
import { PlainLog } from './plain-log.js';
import { type RunSummary, summaryText } from './run-summary.js';
import type { SnapshotProducer } from './snapshot-producer.js';
import { TerminalView } from './terminal-view.js';

/** Where the monitor writes. */
export interface MonitorIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** An attached view. */
export interface AttachedView {
  /** True when the live view draws (plain lines otherwise). */
  readonly live: boolean;
  /** Receives each alert as it fires (plain mode prints it; the live view reads snapshots). */
  readonly onAlert: (alert: Alert) => void;
  /** A line of information (a URL, a warning), shown where it does not disturb the view. */
  info(line: string): void;
  /** Stops drawing and prints the summary (none when the run failed). */
  finish(summary: RunSummary | undefined): void;
}

/** Attaches the live or plain view to `producer`. */
export function attachView(
  producer: SnapshotProducer,
  io: MonitorIo,
  options: { readonly tty: boolean; readonly inputLabel: string; readonly startedAt: number },
): AttachedView {
  const live = options.tty && io.stdout.isTTY === true;
  const writeLine = (line: string) => io.stdout.write(`${line}\n`);
  if (live) {
    const view = new TerminalView(io.stdout, options.inputLabel, options.startedAt);
    const stop = producer.onSnapshot((s) => view.draw(s));
    return {
      live,
      onAlert: () => {},
      info: (line) => view.notes.push(line),
      finish(summary) {
        stop();
        view.draw(producer.current());
        view.stop();
        if (summary) writeLine(summaryText(summary));
      },
    };
  }
  const log = new PlainLog(writeLine);
  const stop = producer.onSnapshot((s) => log.progress(s));
  return {
    live,
    onAlert: (alert) => log.alert(alert),
    info: writeLine,
    finish(summary) {
      stop();
      if (summary) writeLine(JSON.stringify(summary));
    },
  };
}
