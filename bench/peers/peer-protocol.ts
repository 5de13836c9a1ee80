/**
 * What a bench/kafka.ts peer process speaks, shared by the Node peers (the Java peer speaks the same):
 * arguments `--name value`; stdout lines "STATE RUNNING" once it processes, "FIRST <epochMs>" at the first
 * input record, "UNSUPPORTED <reason>" when it cannot run here, and "CLOSED processed=<n>" after its stdin
 * ends (or says "stop") and it has closed, committing what it processed.
 */
import { createInterface } from 'node:readline';

/** Options every peer takes. */
export interface PeerArgs {
  brokers: string[];
  input: string;
  output: string;
  applicationId: string;
  stateDir: string;
  commitIntervalMs: number;
}

/** Parses the peer command line; throws a message naming the missing option. */
export function parsePeerArgs(argv: readonly string[]): PeerArgs {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    if (!name.startsWith('--') || i + 1 >= argv.length)
      throw new Error(`Expected --name value pairs, got "${name}" at position ${i}.`);
    options.set(name.slice(2), argv[i + 1]!);
  }
  const required = (name: string) => {
    const value = options.get(name);
    if (!value) throw new Error(`Missing required option --${name}.`);
    return value;
  };
  return {
    brokers: required('brokers').split(','),
    input: required('input'),
    output: required('output'),
    applicationId: required('application-id'),
    stateDir: required('state-dir'),
    commitIntervalMs: Number(options.get('commit-interval-ms') ?? 1000),
  };
}

/** Prints one protocol line. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Resolves when stdin ends or a "stop" line arrives: the bench's signal to close. */
export function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'stop') {
        lines.close();
      }
    });
    lines.on('close', resolve);
  });
}

/** Counts processed input records and announces the first one. */
export class ProcessedCounter {
  count = 0;

  /** Call once per input record, on the hot path. */
  record(): void {
    if (this.count++ === 0) say(`FIRST ${Date.now()}`);
  }
}
