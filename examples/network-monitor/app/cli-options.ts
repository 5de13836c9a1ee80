/**
 * The monitor's command line: flags parsed with node:util parseArgs, checked, and turned into one
 * typed configuration. Every mistake becomes a UsageError that says what to do.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Duration, toMillis } from '../../../src/runtime/duration.js';
import { UsageError } from './usage-error.js';

/** Which part of the pipeline this process runs on Kafka. */
export type Role = 'capture' | 'process' | 'all';

/** Where packets come from. */
export type PacketInput =
  | { readonly kind: 'pcap'; readonly file: string }
  | { readonly kind: 'interface'; readonly name: string };

/** Everything the command line decides. */
export interface NetmonConfig {
  /** undefined for `--role process` (packets come from the `network-packets` topic). */
  readonly input: PacketInput | undefined;
  readonly demo: boolean;
  /** Kafka bootstrap servers; undefined runs embedded. */
  readonly brokers: readonly string[] | undefined;
  readonly role: Role;
  /** `--exactly-once`: Kafka transactions for outputs, state and offsets (default at-least-once). */
  readonly exactlyOnce: boolean;
  readonly applicationId: string;
  /** Prepended to every topic name (several monitors on one cluster). */
  readonly topicPrefix: string;
  readonly partitions: number;
  readonly stateDir: string;
  /** DuckDB file for windowed stats and alerts; undefined when not wanted. */
  readonly duckdb: string | undefined;
  readonly adx: { readonly clusterUrl: string; readonly database: string } | undefined;
  readonly webhook: string | undefined;
  readonly metrics: { readonly host: string; readonly port: number } | undefined;
  readonly windowMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;
  /** Wall-clock run time limit; undefined: until the pcap ends (or forever, live). */
  readonly durationMs: number | undefined;
  /** False with `--no-tty`; the live view also needs stdout to be a terminal. */
  readonly tty: boolean;
}

/** The result of reading the command line: run with a configuration, or print help. */
export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'run'; readonly config: NetmonConfig };

/** The bundled capture `--demo` replays. */
export const DEMO_PCAP = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'demo.pcap');

/** Where `--demo` and the embedded default keep their files. */
export const NETMON_DIR = '.netmon';

const FLAGS = {
  help: { type: 'boolean', short: 'h' },
  pcap: { type: 'string' },
  interface: { type: 'string' },
  demo: { type: 'boolean' },
  'exactly-once': { type: 'boolean' },
  brokers: { type: 'string' },
  role: { type: 'string' },
  partitions: { type: 'string' },
  'app-id': { type: 'string' },
  'topic-prefix': { type: 'string' },
  'state-dir': { type: 'string' },
  duckdb: { type: 'string' },
  'adx-cluster': { type: 'string' },
  'adx-database': { type: 'string' },
  webhook: { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  window: { type: 'string' },
  advance: { type: 'string' },
  grace: { type: 'string' },
  duration: { type: 'string' },
  'no-tty': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseFlags>['values'];

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${message}. Run with --help to see the flags.`);
  }
}

/** Reads the command line; throws a UsageError naming the flag at fault and what to pass instead. */
export function parseCli(args: readonly string[]): CliCommand {
  const { values } = parseFlags(args);
  if (values.help) return { kind: 'help' };
  const brokers = values.brokers === undefined ? undefined : brokerList(values.brokers);
  const role = roleOf(values.role, brokers !== undefined);
  const demo = values.demo === true;
  const input = inputOf(values, role, demo);
  const windowMs = durationFlag(values.window ?? '5m', '--window');
  const advanceMs = durationFlag(values.advance ?? '1m', '--advance');
  const graceMs = durationFlag(values.grace ?? '30s', '--grace');
  if (windowMs <= 0 || advanceMs <= 0) throw new UsageError('--window and --advance must be longer than 0.');
  if (advanceMs > windowMs) {
    throw new UsageError(
      `--advance (${values.advance}) is longer than --window (${values.window ?? '5m'}); a hop cannot be longer than the window.`,
    );
  }
  const durationMs = values.duration === undefined ? undefined : durationFlag(values.duration, '--duration');
  if (durationMs === 0) throw new UsageError('--duration must be longer than 0 (e.g. --duration 10m).');
  const adx = adxOf(values['adx-cluster'], values['adx-database']);
  return {
    kind: 'run',
    config: {
      input,
      demo,
      brokers,
      role,
      exactlyOnce: exactlyOnceOf(values['exactly-once'] === true, brokers !== undefined),
      applicationId: nonEmpty(values['app-id'] ?? 'netmon', '--app-id'),
      topicPrefix: topicPrefixOf(values['topic-prefix']),
      partitions: integerFlag(values.partitions ?? '1', '--partitions', 1, 10_000),
      stateDir: values['state-dir'] ?? join(NETMON_DIR, 'state'),
      duckdb: duckdbOf(values.duckdb, demo, brokers !== undefined),
      adx,
      webhook: values.webhook === undefined ? undefined : webhookOf(values.webhook),
      metrics: metricsOf(values['metrics-port'], values['metrics-host']),
      windowMs,
      advanceMs,
      graceMs,
      durationMs,
      tty: values['no-tty'] !== true,
    },
  };
}

function brokerList(text: string): string[] {
  const list = text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (list.length === 0)
    throw new UsageError('--brokers needs at least one HOST:PORT, e.g. --brokers 127.0.0.1:9092.');
  for (const broker of list) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new UsageError(`--brokers: "${broker}" is not HOST:PORT (e.g. kafka-1:9092).`);
    }
  }
  return list;
}

function exactlyOnceOf(wanted: boolean, onKafka: boolean): boolean {
  if (wanted && !onKafka) {
    throw new UsageError(
      '--exactly-once is a Kafka guarantee; add --brokers HOST:PORT (embedded runs are exact anyway).',
    );
  }
  return wanted;
}

function roleOf(text: string | undefined, onKafka: boolean): Role {
  if (text === undefined) return 'all';
  if (text !== 'capture' && text !== 'process' && text !== 'all') {
    throw new UsageError(`--role must be capture, process or all, got "${text}".`);
  }
  if (text !== 'all' && !onKafka) {
    throw new UsageError(
      `--role ${text} splits the pipeline over Kafka; add --brokers HOST:PORT (or drop --role to run everything embedded).`,
    );
  }
  return text;
}

function inputOf(values: Values, role: Role, demo: boolean): PacketInput | undefined {
  const { pcap, interface: iface } = values;
  if (pcap !== undefined && iface !== undefined) {
    throw new UsageError('Pass either --pcap FILE (replay) or --interface IFACE (live capture), not both.');
  }
  if (demo) {
    if (pcap !== undefined || iface !== undefined) {
      throw new UsageError('--demo replays the bundled capture; drop --pcap/--interface, or drop --demo.');
    }
    return { kind: 'pcap', file: existingPcap(DEMO_PCAP, '--demo') };
  }
  if (role === 'process') {
    if (pcap !== undefined || iface !== undefined) {
      throw new UsageError(
        '--role process reads packets from the network-packets topic; start the capture with --role capture (or use --role all).',
      );
    }
    return undefined;
  }
  if (pcap !== undefined) return { kind: 'pcap', file: existingPcap(pcap, '--pcap') };
  if (iface !== undefined) return { kind: 'interface', name: nonEmpty(iface, '--interface') };
  throw new UsageError(
    'Nothing to monitor: pass --pcap FILE, --interface IFACE (tshark -D lists them) or --demo. Run with --help for more.',
  );
}

function existingPcap(file: string, flag: string): string {
  if (!existsSync(file)) {
    const hint =
      flag === '--demo'
        ? ' The bundled capture is generated by scripts/generate-capture.ts; check out the repository again or regenerate it.'
        : ' Check the path (relative paths resolve against the current directory).';
    throw new UsageError(`${flag}: capture file "${file}" does not exist.${hint}`);
  }
  if (!statSync(file).isFile())
    throw new UsageError(`${flag}: "${file}" is not a file; pass a pcap or pcapng file.`);
  return file;
}

function durationFlag(text: string, flag: string): number {
  try {
    return toMillis(text as Duration, flag);
  } catch {
    throw new UsageError(`${flag} "${text}" is not a duration; use e.g. 30s, 5m, 1h or 500ms.`);
  }
}

function integerFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}".`);
  }
  return value;
}

function nonEmpty(text: string, flag: string): string {
  if (text.trim() === '') throw new UsageError(`${flag} must not be empty.`);
  return text;
}

function duckdbOf(flag: string | undefined, demo: boolean, onKafka: boolean): string | undefined {
  if (flag !== undefined) return nonEmpty(flag, '--duckdb');
  if (demo) return join(NETMON_DIR, 'demo.duckdb');
  return onKafka ? undefined : join(NETMON_DIR, 'netmon.duckdb');
}

function adxOf(cluster: string | undefined, database: string | undefined): NetmonConfig['adx'] {
  if (cluster === undefined && database === undefined) return undefined;
  if (cluster === undefined || database === undefined) {
    throw new UsageError('--adx-cluster and --adx-database go together; pass both (or neither).');
  }
  if (!/^https?:\/\//.test(cluster)) {
    throw new UsageError(
      `--adx-cluster must be the cluster URL, e.g. https://mycluster.westeurope.kusto.windows.net; got "${cluster}".`,
    );
  }
  return { clusterUrl: cluster, database: nonEmpty(database, '--adx-database') };
}

function webhookOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--webhook must be an http(s) URL, e.g. http://alertmanager:9093/api/v2/alerts.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--webhook must be an http(s) URL; got a ${url.protocol} URL.`);
  }
  return text;
}

function metricsOf(port: string | undefined, host: string | undefined): NetmonConfig['metrics'] {
  if (port === undefined) {
    if (host !== undefined) throw new UsageError('--metrics-host needs --metrics-port N as well.');
    return undefined;
  }
  return {
    port: integerFlag(port, '--metrics-port', 0, 65_535),
    host: nonEmpty(host ?? '127.0.0.1', '--metrics-host'),
  };
}

function topicPrefixOf(text: string | undefined): string {
  if (text === undefined) return '';
  if (!/^[a-zA-Z0-9._-]{1,100}$/.test(text)) {
    throw new UsageError(
      `--topic-prefix may use letters, digits, ".", "_" and "-" only (Kafka topic characters); got "${text}".`,
    );
  }
  return text;
}
