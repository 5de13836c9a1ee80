/**
 * Splits a byte stream into lines, pulling one chunk at a time: nothing is read from the stream
 * until the caller asks for more, which is what lets a slow consumer stall tshark on its pipe.
 * Holds at most one chunk plus one partial line; a line longer than the limit is skipped.
 */
import { StringDecoder } from 'node:string_decoder';

/** What waiting for input ended with. */
export type FillResult = 'data' | 'end' | 'timeout' | 'aborted';

/** Called when a line over the length limit is skipped: its 1-based number and its beginning. */
export type OverlongLineHandler = (lineNumber: number, beginning: string) => void;

/** Reads lines from an async iterator of chunks (e.g. a child process's stdout). */
export class LineReader {
  private buffer = '';
  private position = 0;
  private skippingOverlong = false;
  /** Skipped overlong lines not yet counted: they follow the complete lines still buffered. */
  private skippedLines = 0;
  private pending: Promise<IteratorResult<Buffer>> | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private endedFlag = false;
  /** Number of the last line returned (1-based; skipped overlong lines count too). */
  lineNumber = 0;
  /** Bytes received from the stream so far. */
  bytesRead = 0;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly maxLineLength: number,
    private readonly onOverlong: OverlongLineHandler,
  ) {}

  /** True once the stream has ended; buffered lines may remain until `nextLine` returns undefined. */
  get ended(): boolean {
    return this.endedFlag;
  }

  /**
   * The next complete line already received, or undefined when more input is needed (or none is
   * left). Lines over the length limit are reported to the overlong handler and skipped.
   */
  nextLine(): string | undefined {
    for (;;) {
      const newline = this.buffer.indexOf('\n', this.position);
      if (newline === -1) {
        if (this.endedFlag && this.position < this.buffer.length) {
          // A last line without a newline: the producer died mid-line; hand it over as it is.
          const last = this.buffer.slice(this.position);
          this.position = this.buffer.length;
          this.lineNumber++;
          return last;
        }
        this.lineNumber += this.skippedLines;
        this.skippedLines = 0;
        return undefined;
      }
      const end =
        newline > this.position && this.buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const start = this.position;
      this.position = newline + 1;
      this.lineNumber++;
      if (end - start > this.maxLineLength) {
        this.onOverlong(this.lineNumber, this.buffer.slice(start, Math.min(end, start + 160)));
        continue;
      }
      return this.buffer.slice(start, end);
    }
  }

  /**
   * Waits for the next chunk, at most `timeoutMs` (undefined: no limit), or until `signal` aborts.
   * A chunk still in flight after a timeout is kept and delivered by the next call.
   */
  async fill(timeoutMs: number | undefined, signal: AbortSignal): Promise<FillResult> {
    if (this.endedFlag) return 'end';
    if (signal.aborted) return 'aborted';
    this.pending ??= this.chunks.next();
    const outcome = await raceChunk(this.pending, timeoutMs, signal);
    if (outcome === 'timeout' || outcome === 'aborted') return outcome;
    this.pending = undefined;
    if (outcome.done) {
      this.endedFlag = true;
      this.append(this.decoder.end());
      return 'end';
    }
    this.bytesRead += outcome.value.length;
    this.append(this.decoder.write(outcome.value));
    return 'data';
  }

  private append(text: string): void {
    if (text.length === 0) return;
    if (this.skippingOverlong) {
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      this.skippingOverlong = false;
      text = text.slice(newline + 1);
    }
    this.buffer = this.position < this.buffer.length ? this.buffer.slice(this.position) + text : text;
    this.position = 0;
    const lastNewline = this.buffer.lastIndexOf('\n');
    const partialLength = this.buffer.length - (lastNewline + 1);
    if (partialLength > this.maxLineLength) {
      // The line in progress is already too long: report it and drop it up to its newline.
      const beginning = this.buffer.slice(lastNewline + 1, lastNewline + 161);
      this.buffer = this.buffer.slice(0, lastNewline + 1);
      this.skippingOverlong = true;
      const completeLines = countNewlines(this.buffer);
      this.skippedLines++;
      this.onOverlong(this.lineNumber + completeLines + 1, beginning);
    }
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

async function raceChunk(
  pending: Promise<IteratorResult<Buffer>>,
  timeoutMs: number | undefined,
  signal: AbortSignal,
): Promise<IteratorResult<Buffer> | 'timeout' | 'aborted'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stoppers = new Promise<'timeout' | 'aborted'>((resolve) => {
    if (timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), timeoutMs);
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, stoppers]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort!);
  }
}
