/**
 * Options of the tshark source, their defaults, and their validation.
 */
import { basename } from 'node:path';
import { type Duration, toMillis } from '../../runtime/duration.js';
import type { MalformedPacketError } from './errors.js';
import { DEFAULT_REPLAY_OUTPUT_BUFFER_BYTES } from './output-buffering.js';
import type { Packet } from './packet.js';

/** Options shared by live capture and pcap replay. */
export interface TsharkCommonOptions {
  /** Names the source in topologies, metrics and errors. Default: "tshark:IFACE" or "tshark:FILE". */
  readonly name?: string;
  /** Wireshark display filter (`-Y`), e.g. "dns || tcp.port == 443". */
  readonly displayFilter?: string;
  /** Stop after this many packets captured or read (before the display filter); default: no limit. */
  readonly maxPackets?: number;
  /**
   * Which EK output tshark writes. "model" (default) asks only for the fields the Packet model uses
   * (plus `extraFields`), with `-e`: about 6x less output and half the tshark CPU of "all" (see
   * BENCHMARKS). "all" writes every dissected field, nested per protocol, into `Packet.layers`.
   */
  readonly fields?: 'model' | 'all';
  /** More tshark fields to put into `Packet.layers` in "model" mode, e.g. `['tcp.window_size']`. */
  readonly extraFields?: readonly string[];
  /** Most records in one batch. Default 500. */
  readonly batchSize?: number;
  /** Longest a partial batch waits for more packets before it is handed on. Default "100ms". */
  readonly maxWait?: Duration;
  /** How long tshark/dumpcap get to exit after SIGTERM before SIGKILL. Default "3s". */
  readonly stopTimeout?: Duration;
  /** The record key. Default: source IP, or source MAC for non-IP frames (`defaultPacketKey`). */
  readonly key?: (packet: Packet) => string;
  /**
   * Called with each output line that is not a valid EK packet; the line is skipped and counted in
   * `malformedLines`. Throw from it to fail the source instead. Default: count and keep going.
   */
  readonly onMalformed?: (error: MalformedPacketError) => void;
  /** tshark binary. Default "tshark" (looked up on PATH). */
  readonly tsharkPath?: string;
  /** dumpcap binary, used for live capture. Default "dumpcap". */
  readonly dumpcapPath?: string;
  /** Run tshark and dumpcap as this user and group (e.g. to keep dissectors away from root). */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  /** Longest EK line accepted, in characters; longer lines are skipped as malformed. Default 16 MiB. */
  readonly maxLineLength?: number;
  /** Extra tshark arguments, e.g. `['-o', 'tcp.desegment_tcp_streams:FALSE']` or `['-d', 'tcp.port==8888,http']`. */
  readonly tsharkArgs?: readonly string[];
}

/** Live capture: dumpcap captures on `interface`, tshark dissects. */
export interface LiveCaptureOptions extends TsharkCommonOptions {
  /** Interface to capture on, as `tshark -D` lists it (e.g. "eth0", "lo", "any"). */
  readonly interface: string;
  /** Capture filter in libpcap syntax (`-f`), applied in the kernel, e.g. "udp port 53". */
  readonly captureFilter?: string;
  /** Bytes captured per packet (`-s`); default: whole packets. */
  readonly snapLength?: number;
  /** Kernel capture buffer in MiB (`-B`); a larger one absorbs longer bursts before drops. */
  readonly bufferSizeMiB?: number;
  readonly file?: never;
}

/** Replay of a pcap or pcapng file. */
export interface ReplayOptions extends TsharkCommonOptions {
  /** The capture file. */
  readonly file: string;
  /** "fast" (default): as fast as the consumer pulls. "recorded": at the pace of the packet timestamps. */
  readonly pacing?: 'fast' | 'recorded';
  /** With recorded pacing: 2 replays twice as fast, 0.5 at half speed. Default 1. */
  readonly speed?: number;
  /**
   * Size of tshark's stdout buffer in bytes, set through coreutils' libstdbuf as `stdbuf -o` does
   * (see output-buffering.ts): tshark's own 4 KiB blocks cost this process a chunk per 8 packets.
   * Default 128 KiB; `false` leaves tshark's buffering alone. Ignored where libstdbuf is missing.
   */
  readonly outputBufferBytes?: number | false;
  readonly interface?: never;
}

/** Options of `tsharkSource`: either `interface` (live) or `file` (replay). */
export type TsharkSourceOptions = LiveCaptureOptions | ReplayOptions;

/** Options with defaults applied and values checked. */
export interface ResolvedTsharkOptions {
  readonly mode: 'live' | 'replay';
  readonly name: string;
  readonly interfaceName: string | undefined;
  readonly file: string | undefined;
  readonly captureFilter: string | undefined;
  readonly snapLength: number | undefined;
  readonly bufferSizeMiB: number | undefined;
  readonly displayFilter: string | undefined;
  readonly maxPackets: number | undefined;
  readonly fields: 'model' | 'all';
  readonly extraFields: readonly string[];
  readonly pacing: 'fast' | 'recorded';
  readonly speed: number;
  /** tshark's stdout buffer (replay only); undefined: tshark's default. */
  readonly outputBufferBytes: number | undefined;
  readonly batchSize: number;
  readonly maxWaitMs: number;
  readonly stopTimeoutMs: number;
  readonly key: ((packet: Packet) => string) | undefined;
  readonly onMalformed: ((error: MalformedPacketError) => void) | undefined;
  readonly tsharkPath: string;
  readonly dumpcapPath: string;
  readonly runAs: { readonly uid: number; readonly gid: number } | undefined;
  readonly maxLineLength: number;
  readonly tsharkArgs: readonly string[];
}

function positiveInteger(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`tshark source: ${what} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Applies defaults and validates; throws a RangeError that names the bad option. */
export function resolveTsharkOptions(options: TsharkSourceOptions): ResolvedTsharkOptions {
  const live = 'interface' in options && options.interface !== undefined;
  const replay = 'file' in options && options.file !== undefined;
  if (live === replay) {
    throw new RangeError(
      'tshark source: pass exactly one of `interface` (live capture, e.g. "eth0") or `file` (pcap replay)',
    );
  }
  const liveOptions = live ? (options as LiveCaptureOptions) : undefined;
  const replayOptions = replay ? (options as ReplayOptions) : undefined;
  const fields = options.fields ?? 'model';
  if (fields !== 'model' && fields !== 'all') {
    throw new RangeError(`tshark source: fields must be "model" or "all", got "${String(fields)}"`);
  }
  if (fields === 'all' && options.extraFields?.length) {
    throw new RangeError(
      'tshark source: extraFields only applies with fields: "model" ("all" already has every field)',
    );
  }
  const pacing = replayOptions?.pacing ?? 'fast';
  if (pacing !== 'fast' && pacing !== 'recorded') {
    throw new RangeError(`tshark source: pacing must be "fast" or "recorded", got "${String(pacing)}"`);
  }
  const speed = replayOptions?.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new RangeError(`tshark source: speed must be a positive number, got ${speed}`);
  }
  return {
    mode: live ? 'live' : 'replay',
    name:
      options.name ?? (live ? `tshark:${liveOptions!.interface}` : `tshark:${basename(replayOptions!.file)}`),
    interfaceName: liveOptions?.interface,
    file: replayOptions?.file,
    captureFilter: liveOptions?.captureFilter,
    snapLength: positiveInteger(liveOptions?.snapLength, 'snapLength'),
    bufferSizeMiB: positiveInteger(liveOptions?.bufferSizeMiB, 'bufferSizeMiB'),
    displayFilter: options.displayFilter,
    maxPackets: positiveInteger(options.maxPackets, 'maxPackets'),
    fields,
    extraFields: options.extraFields ?? [],
    pacing,
    speed,
    outputBufferBytes:
      replayOptions?.outputBufferBytes === false || !replayOptions
        ? undefined
        : (positiveInteger(replayOptions.outputBufferBytes, 'outputBufferBytes') ??
          DEFAULT_REPLAY_OUTPUT_BUFFER_BYTES),
    batchSize: positiveInteger(options.batchSize, 'batchSize') ?? 500,
    maxWaitMs: toMillis(options.maxWait ?? '100ms', 'tshark source maxWait'),
    stopTimeoutMs: toMillis(options.stopTimeout ?? '3s', 'tshark source stopTimeout'),
    key: options.key,
    onMalformed: options.onMalformed,
    tsharkPath: options.tsharkPath ?? 'tshark',
    dumpcapPath: options.dumpcapPath ?? 'dumpcap',
    runAs: options.runAs,
    maxLineLength: positiveInteger(options.maxLineLength, 'maxLineLength') ?? 16 * 1024 * 1024,
    tsharkArgs: options.tsharkArgs ?? [],
  };
}
