/** A duration: milliseconds as a number, or a string such as "250ms", "30s", "5m", "1h", "1d". */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Converts a Duration to milliseconds; throws with the offending text when it is not one. */
export function toMillis(duration: Duration, what = 'duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new RangeError(`${what} must be a non-negative number of milliseconds, got ${duration}`);
    }
    return duration;
  }
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(duration);
  if (!match) {
    throw new RangeError(
      `${what} "${duration}" is not a duration; use milliseconds or e.g. "500ms", "30s", "5m", "1h"`,
    );
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}
