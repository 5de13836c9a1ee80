/**
 * Command lines for tshark and dumpcap, built from resolved options (pure, so tests can read them).
 *
 * Live capture runs two processes joined by a FIFO: `dumpcap -i IFACE -w FIFO` captures and
 * `tshark -r FIFO -T ek` dissects. When the consumer stops pulling, tshark blocks on its stdout,
 * stops reading the FIFO, dumpcap blocks on the FIFO, and the kernel drops what no longer fits in
 * its capture buffer; dumpcap counts those drops and prints them at exit. Memory and disk stay
 * bounded. (tshark's own `-i` would let dumpcap write an ever-growing temporary file instead.)
 */
import { MODEL_FIELD_NAMES } from './ek-fields.js';
import type { ResolvedTsharkOptions } from './options.js';

/** tshark's arguments that select EK output and its fields. */
function ekArgs(options: ResolvedTsharkOptions): string[] {
  const args = ['-T', 'ek'];
  if (options.fields === 'model') {
    for (const field of [...MODEL_FIELD_NAMES, ...options.extraFields]) args.push('-e', field);
  }
  return args;
}

/**
 * tshark's argument list. `input` is the pcap file (replay) or the FIFO dumpcap writes (live).
 * `-n` turns off name resolution (no DNS lookups of captured addresses); `-l` flushes each packet
 * at once in live mode, where latency matters more than the per-packet write.
 */
export function tsharkArgs(options: ResolvedTsharkOptions, input: string): string[] {
  const args = ['-r', input, '-n'];
  if (options.mode === 'live') args.push('-l');
  args.push(...ekArgs(options));
  if (options.displayFilter !== undefined) args.push('-Y', options.displayFilter);
  if (options.maxPackets !== undefined) args.push('-c', String(options.maxPackets));
  args.push(...options.tsharkArgs);
  return args;
}

/** dumpcap's argument list for a live capture into `fifo`. `-q` keeps only the final statistics. */
export function dumpcapArgs(options: ResolvedTsharkOptions, fifo: string): string[] {
  if (options.interfaceName === undefined) throw new Error('dumpcapArgs needs a live-capture interface');
  const args = ['-i', options.interfaceName, '-w', fifo, '-q'];
  if (options.captureFilter !== undefined) args.push('-f', options.captureFilter);
  if (options.snapLength !== undefined) args.push('-s', String(options.snapLength));
  if (options.bufferSizeMiB !== undefined) args.push('-B', String(options.bufferSizeMiB));
  if (options.maxPackets !== undefined) args.push('-c', String(options.maxPackets));
  return args;
}
