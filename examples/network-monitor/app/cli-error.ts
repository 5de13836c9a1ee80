/**
 * What the command line prints for a failed run: the error's own message, except where a library
 * error speaks in option names of the library rather than the monitor's flags.
 */
import { UnknownInterfaceError } from '../../../src/connectors/tshark/errors.js';

/** The message for `netmon: <message>` on stderr. */
export function cliErrorMessage(error: unknown): string {
  if (error instanceof UnknownInterfaceError) {
    return (
      `There is no capture interface named "${error.interfaceName}". List the interfaces with ` +
      `\`tshark -D\` (or \`ip link\`) and pass one of their names to --interface.\n` +
      `dumpcap said:\n${error.stderrTail}`
    );
  }
  return (error as Error)?.message ?? String(error);
}
