/**
 * Prints `figures` as one JSON line on stdout. Every bench ends with exactly one such line, so
 * `npm run bench` and scripts can pick up the figures from the last line of its output.
 */
export function printJsonLine(figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
