/** Small helpers for sorted arrays of numbers (window starts), which stay short. */

/** Index of the first element >= `value`. */
export function lowerBoundNumber(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first element > `value`. */
export function upperBoundNumber(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Inserts `value` unless present; appending (the common case for new windows) is O(1). */
export function insertSortedNumber(sorted: number[], value: number): void {
  const last = sorted.length - 1;
  if (last < 0 || sorted[last]! < value) {
    sorted.push(value);
    return;
  }
  const at = lowerBoundNumber(sorted, value);
  if (sorted[at] !== value) sorted.splice(at, 0, value);
}

/** Removes `value` if present. */
export function removeSortedNumber(sorted: number[], value: number): void {
  const at = lowerBoundNumber(sorted, value);
  if (sorted[at] === value) sorted.splice(at, 1);
}

/** Removes every element <= `limit` (they are at the front); returns how many. */
export function dropThrough(sorted: number[], limit: number): number {
  let count = 0;
  while (count < sorted.length && sorted[count]! <= limit) count++;
  if (count > 0) sorted.splice(0, count);
  return count;
}

/** Elements of two sorted arrays with from <= value <= to, merged without duplicates. */
export function* mergedBetween(
  a: readonly number[],
  b: readonly number[],
  from: number,
  to: number,
): Generator<number> {
  let i = lowerBoundNumber(a, from);
  let j = lowerBoundNumber(b, from);
  for (;;) {
    const x = i < a.length ? a[i]! : Number.POSITIVE_INFINITY;
    const y = j < b.length ? b[j]! : Number.POSITIVE_INFINITY;
    const next = Math.min(x, y);
    if (next > to || next === Number.POSITIVE_INFINITY) return;
    if (x === next) i++;
    if (y === next) j++;
    yield next;
  }
}
