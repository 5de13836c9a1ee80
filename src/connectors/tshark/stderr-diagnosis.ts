/**
 * Reads what tshark and dumpcap print on stderr (Wireshark 4.0 wording) and turns it into the
 * errors and statistics the source reports: a failure becomes one of the classes in errors.ts,
 * the capture statistics at exit become a dropped-packet count.
 */
import {
  CapturePermissionError,
  InvalidFilterError,
  PcapFileError,
  type PcapProblem,
  UnknownInterfaceError,
} from './errors.js';

const PCAP_PATTERNS: ReadonlyArray<[RegExp, PcapProblem]> = [
  [/The file ".*" doesn't exist/, 'missing'],
  [/isn't a capture file in a format TShark understands/, 'not-a-capture'],
  [/appears to be damaged or corrupt/, 'corrupt'],
  [/appears to have been cut short in the middle of a packet/, 'truncated'],
  [/is a directory \(folder\), not a file/, 'unreadable'],
  [/You don't have permission to (?:open|read) the file/, 'unreadable'],
  [/The file ".*" could not be (?:opened|read)/, 'unreadable'],
];

/** What the replay was run with, to name the culprit in the error. */
export interface ReplayContext {
  readonly file: string;
  readonly displayFilter?: string | undefined;
  readonly extraFields?: readonly string[] | undefined;
  /** Whether tshark wrote any packet before failing (a bad display filter fails before the first). */
  readonly packetsSeen: boolean;
}

/**
 * The error a failed `tshark -r FILE` run means, judged from its stderr; undefined when the output
 * matches nothing known (the caller then reports a generic TsharkExitedError).
 */
export function diagnoseTsharkFailure(
  stderr: string,
  tail: string,
  context: ReplayContext,
): Error | undefined {
  const fields = /Some fields aren't valid:\s*([\s\S]*)/.exec(stderr);
  if (fields) {
    const names = fields[1]!.split(/\s+/).filter((name) => name !== '' && !name.startsWith('tshark'));
    return new InvalidFilterError('field', names.join(', ') || (context.extraFields ?? []).join(', '), tail);
  }
  for (const [pattern, problem] of PCAP_PATTERNS) {
    if (pattern.test(stderr) && (problem !== 'unreadable' || stderr.includes(context.file))) {
      return new PcapFileError(context.file, problem, tail);
    }
  }
  if (context.displayFilter !== undefined && !context.packetsSeen) {
    return new InvalidFilterError('display', context.displayFilter, tail);
  }
  return undefined;
}

/** The error a failed live capture (dumpcap) means, judged from its stderr; undefined if unknown. */
export function diagnoseCaptureFailure(
  stderr: string,
  tail: string,
  context: { readonly interfaceName: string; readonly captureFilter?: string | undefined },
): Error | undefined {
  if (/There is no device named/.test(stderr)) return new UnknownInterfaceError(context.interfaceName, tail);
  if (
    /do(?:n't| not) have permission to capture/.test(stderr) ||
    /Couldn't run .*dumpcap.*Permission denied/.test(stderr) ||
    /\((?:socket|bind): Operation not permitted\)/.test(stderr)
  ) {
    return new CapturePermissionError(context.interfaceName, tail);
  }
  if (/Invalid capture filter/.test(stderr)) {
    return new InvalidFilterError('capture', context.captureFilter ?? '', tail);
  }
  return undefined;
}

/** Capture statistics printed when a capture ends; absent figures are undefined. */
export interface CaptureStatistics {
  /** Packets the capture received (dumpcap) or captured (tshark). */
  readonly received: number | undefined;
  /** Packets dropped by the kernel or the interface because the capture did not keep up. */
  readonly dropped: number | undefined;
}

/**
 * Parses the statistics dumpcap (`Packets received/dropped on interface 'lo': 674/116846 (...)`)
 * or tshark (`N packets captured`, `N packets dropped from IFACE`) print at exit; sums interfaces.
 */
export function parseCaptureStatistics(stderr: string): CaptureStatistics {
  let received: number | undefined;
  let dropped: number | undefined;
  for (const match of stderr.matchAll(/Packets received\/dropped on interface .*?: (\d+)\/(\d+)/g)) {
    received = (received ?? 0) + Number(match[1]);
    dropped = (dropped ?? 0) + Number(match[2]);
  }
  if (received === undefined) {
    for (const match of stderr.matchAll(/^(\d+) packets? captured$/gm))
      received = (received ?? 0) + Number(match[1]);
  }
  if (dropped === undefined) {
    for (const match of stderr.matchAll(/^(\d+) packets? dropped(?: from .*)?$/gm)) {
      dropped = (dropped ?? 0) + Number(match[1]);
    }
  }
  return { received, dropped };
}
