/**
 * Errors of the tshark source. Each one says what went wrong, with which input, and what to do.
 */
import { TributaryError } from '../../runtime/errors.js';

/** The capture programs the source runs. */
export type CaptureProgram = 'tshark' | 'dumpcap';

/** tshark (or dumpcap, which ships with it) could not be started from `path`. */
export class TsharkNotFoundError extends TributaryError {
  override readonly name = 'TsharkNotFoundError';
  constructor(
    readonly program: CaptureProgram,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    const code = (options?.cause as NodeJS.ErrnoException | undefined)?.code;
    const why = code === 'EACCES' ? 'is not executable' : 'was not found';
    super(
      `${program} ${why} at "${path}". Install it (Debian/Ubuntu: \`apt-get install -y tshark\`, which also ` +
        `provides dumpcap) or point the \`${program}Path\` option at the binary.`,
      options,
    );
  }
}

/** The user running the capture may not capture on the interface. */
export class CapturePermissionError extends TributaryError {
  override readonly name = 'CapturePermissionError';
  constructor(
    readonly interfaceName: string,
    readonly stderrTail: string,
  ) {
    super(
      `No permission to capture on interface "${interfaceName}". Either give dumpcap the capture ` +
        'capabilities (`sudo setcap cap_net_raw,cap_net_admin+eip /usr/bin/dumpcap`) or add the user to the ' +
        '`wireshark` group (`sudo usermod -aG wireshark $USER`, then log in again; on Debian first run ' +
        '`sudo dpkg-reconfigure wireshark-common` and answer Yes).\n' +
        `dumpcap said:\n${stderrTail}`,
    );
  }
}

/** The capture interface does not exist. */
export class UnknownInterfaceError extends TributaryError {
  override readonly name = 'UnknownInterfaceError';
  constructor(
    readonly interfaceName: string,
    readonly stderrTail: string,
  ) {
    super(
      `There is no capture interface named "${interfaceName}". List the interfaces with \`tshark -D\` ` +
        `(or \`ip link\`) and pass one of their names as \`interface\`.\ndumpcap said:\n${stderrTail}`,
    );
  }
}

/** Why a capture file could not be read. */
export type PcapProblem = 'missing' | 'not-a-capture' | 'corrupt' | 'truncated' | 'unreadable';

const PCAP_ADVICE: Record<PcapProblem, string> = {
  missing: 'does not exist; check the path (relative paths resolve against the current directory)',
  'not-a-capture': 'is not a capture file tshark understands; pass a pcap or pcapng file',
  corrupt:
    'is damaged or corrupt; packets up to the damage were delivered. Re-capture or repair it (e.g. `pcapfix`)',
  truncated:
    'was cut short in the middle of a packet; packets before the cut were delivered. ' +
    'If it is still being written, wait until the capture has finished',
  unreadable: 'cannot be read; check that it is a file and that this user may read it',
};

/** A pcap/pcapng file to replay is missing, not a capture, corrupt or truncated. */
export class PcapFileError extends TributaryError {
  override readonly name = 'PcapFileError';
  constructor(
    readonly file: string,
    readonly problem: PcapProblem,
    readonly stderrTail = '',
  ) {
    super(
      `Capture file "${file}" ${PCAP_ADVICE[problem]}.${stderrTail ? `\ntshark said:\n${stderrTail}` : ''}`,
    );
  }
}

/** Which filter tshark or dumpcap rejected. */
export type FilterKind = 'capture' | 'display' | 'field';

const FILTER_ADVICE: Record<FilterKind, string> = {
  capture: 'is not a valid capture filter (libpcap/BPF syntax, e.g. "udp port 53"; see `man pcap-filter`)',
  display: 'is not a valid display filter (Wireshark syntax, e.g. "dns || tcp.port == 443")',
  field: 'names tshark fields that do not exist; check them with `tshark -G fields`',
};

/** A capture filter, display filter or extra field list was rejected. */
export class InvalidFilterError extends TributaryError {
  override readonly name = 'InvalidFilterError';
  constructor(
    readonly kind: FilterKind,
    readonly filter: string,
    readonly stderrTail: string,
  ) {
    super(`"${filter}" ${FILTER_ADVICE[kind]}.\nThe capture said:\n${stderrTail}`);
  }
}

/** tshark or dumpcap stopped on its own with a failure the source cannot explain more precisely. */
export class TsharkExitedError extends TributaryError {
  override readonly name = 'TsharkExitedError';
  constructor(
    readonly program: CaptureProgram,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string,
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super(
      `${program} ${how} in the middle of the capture. The packets read before that were delivered; ` +
        `restart the source to continue. The end of its stderr:\n${stderrTail || '(empty)'}`,
    );
  }
}

/** One line of tshark's EK output could not be parsed into a Packet. */
export class MalformedPacketError extends TributaryError {
  override readonly name = 'MalformedPacketError';
  constructor(
    readonly lineNumber: number,
    readonly snippet: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `tshark output line ${lineNumber} is not a valid EK packet (${reason}): ${snippet}. ` +
        'The line was skipped; if this repeats, check that the tshark version writes `-T ek` JSON (Wireshark 3.x+).',
      options,
    );
  }
}
