/** One row of a bench table: column name -> cell. Numbers are formatted and right-aligned. */
export type TableRow = Record<string, string | number>;

/**
 * Formats a number for people: whole numbers with thousands separators, others with `digits`
 * significant decimals (at most), so "1,234,567" records/s and "0.53" seconds read naturally.
 */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) {
    return Math.round(value).toLocaleString('en-US');
  }
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/**
 * Renders rows as an aligned text table under `title`. Columns appear in the order they first occur
 * across the rows; a row without a column leaves its cell empty.
 */
export function renderTable(title: string, rows: readonly TableRow[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = row[column];
      return value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : value;
    }),
  );
  const numeric = columns.map((column) => rows.some((row) => typeof row[column] === 'number'));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]!.length)));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const lines = [
    title,
    columns.map(pad).join('  ').trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((line) => line.map(pad).join('  ').trimEnd()),
  ];
  return lines.join('\n');
}

/** Prints a table (see renderTable) to stdout, followed by an empty line. */
export function printTable(title: string, rows: readonly TableRow[]): void {
  console.log(`${renderTable(title, rows)}\n`);
}
