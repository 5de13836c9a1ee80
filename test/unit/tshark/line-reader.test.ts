import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../src/connectors/tshark/line-reader.js';

/** An iterator over `chunks` that records how many were requested. */
function chunkSource(chunks: Array<string | Buffer>): {
  iterator: AsyncIterator<Buffer>;
  requested: () => number;
} {
  let index = 0;
  return {
    iterator: {
      next: async () => {
        if (index >= chunks.length) return { done: true, value: undefined };
        const chunk = chunks[index++]!;
        return { done: false, value: typeof chunk === 'string' ? Buffer.from(chunk) : chunk };
      },
    },
    requested: () => index,
  };
}

const never = new AbortController().signal;

/** Reads every line, filling as needed. */
async function readAll(reader: LineReader): Promise<string[]> {
  const lines: string[] = [];
  for (;;) {
    const line = reader.nextLine();
    if (line !== undefined) {
      lines.push(line);
      continue;
    }
    if (reader.ended) return lines;
    await reader.fill(undefined, never);
  }
}

describe('LineReader', () => {
  it('joins lines split across chunks, strips CRLF, and numbers lines', async () => {
    const { iterator } = chunkSource(['one\ntw', 'o\r\nthr', 'ee\n', '\nfour\n']);
    const reader = new LineReader(iterator, 100, () => {});
    expect(await readAll(reader)).toEqual(['one', 'two', 'three', '', 'four']);
    expect(reader.lineNumber).toBe(5);
    expect(reader.bytesRead).toBe('one\ntwo\r\nthree\n\nfour\n'.length);
  });

  it('decodes a UTF-8 character split between two chunks', async () => {
    const bytes = Buffer.from('café ☕\n');
    const { iterator } = chunkSource([bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)]);
    expect(await readAll(new LineReader(iterator, 100, () => {}))).toEqual(['café ☕']);
  });

  it('hands over a last line without a newline', async () => {
    const { iterator } = chunkSource(['a\nhalf a li', 'ne']);
    expect(await readAll(new LineReader(iterator, 100, () => {}))).toEqual(['a', 'half a line']);
  });

  it('reads a chunk only when the buffered lines are used up', async () => {
    const source = chunkSource(['1\n2\n', '3\n', '4\n']);
    const reader = new LineReader(source.iterator, 100, () => {});
    expect(reader.nextLine()).toBeUndefined();
    expect(source.requested()).toBe(0);
    await reader.fill(undefined, never);
    expect(source.requested()).toBe(1);
    expect([reader.nextLine(), reader.nextLine(), reader.nextLine()]).toEqual(['1', '2', undefined]);
    expect(source.requested()).toBe(1);
  });

  it('skips lines over the limit, complete or still arriving, and reports their numbers', async () => {
    const long = 'x'.repeat(30);
    const skipped: Array<[number, string]> = [];
    const { iterator } = chunkSource([`ok1\n${long}\nok2\n${long.slice(0, 12)}`, long, `${long}\nok3\n`]);
    const reader = new LineReader(iterator, 20, (n, beginning) => skipped.push([n, beginning]));
    const lines = await readAll(reader);
    expect(lines).toEqual(['ok1', 'ok2', 'ok3']);
    expect(skipped.map(([n]) => n)).toEqual([2, 4]);
    expect(skipped.every(([, beginning]) => /^x+$/.test(beginning))).toBe(true);
    expect(reader.lineNumber).toBe(5);
  });

  it('times out without losing the chunk in flight, and stops waiting on abort', async () => {
    let release: (value: IteratorResult<Buffer>) => void = () => {};
    const iterator: AsyncIterator<Buffer> = {
      next: () => new Promise((resolve) => (release = resolve)),
    };
    const reader = new LineReader(iterator, 100, () => {});
    expect(await reader.fill(5, never)).toBe('timeout');
    const controller = new AbortController();
    const aborted = reader.fill(undefined, controller.signal);
    controller.abort();
    expect(await aborted).toBe('aborted');
    release({ done: false, value: Buffer.from('late\n') });
    expect(await reader.fill(undefined, never)).toBe('data');
    expect(reader.nextLine()).toBe('late');
  });
});
