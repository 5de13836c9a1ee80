/**
 * Keeps the end of a child process's stderr for error messages and exit statistics, bounded so a
 * chatty process cannot grow memory.
 */

/** Default number of characters kept. */
export const DEFAULT_STDERR_TAIL_CHARS = 8192;

/** Lines tshark/dumpcap print that carry no information for the user. */
const NOISE = [/^Running as user "root" and group "root"\. This could be dangerous\.$/, /^\s*$/];

/** The last `limit` characters written to a stream, with noise lines dropped. */
export class StderrTail {
  private text = '';

  constructor(private readonly limit = DEFAULT_STDERR_TAIL_CHARS) {}

  /** Appends a chunk of stderr output. */
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit);
  }

  /** Everything kept (raw, at most `limit` characters). */
  raw(): string {
    return this.text.length > this.limit ? this.text.slice(-this.limit) : this.text;
  }

  /** The last `maxLines` meaningful lines, for error messages. */
  lines(maxLines = 20): string {
    return this.raw()
      .split(/\r?\n|\r/)
      .filter((line) => !NOISE.some((re) => re.test(line)))
      .slice(-maxLines)
      .join('\n');
  }
}
