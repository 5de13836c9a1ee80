/**
 * How many packets a capture file holds, for the progress bar: `capinfos` (installed with tshark)
 * reads only the record headers. Unknown (undefined) when capinfos is missing or fails.
 */
import { execFile } from 'node:child_process';

/** The packet count of `file`, or undefined when it cannot be learnt cheaply. */
export function capturePacketCount(file: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile('capinfos', ['-c', '-M', '-T', '-r', file], { timeout: 10_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const fields = stdout.trim().split('\t');
      const count = Number(fields[fields.length - 1]);
      resolve(Number.isSafeInteger(count) && count >= 0 ? count : undefined);
    });
  });
}
