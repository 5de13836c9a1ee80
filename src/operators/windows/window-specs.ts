import { type Duration, toMillis } from '../../runtime/duration.js';

/** How a windowed aggregation emits: every update at once ('eager'), or one final result when the window closes. */
export type EmitMode = 'eager' | 'final';

/**
 * Fixed-size windows aligned to the epoch: hopping when `advanceMs < sizeMs`, tumbling when equal.
 * A record belongs to every window with start <= t < start + size.
 */
export interface TimeWindowSpec {
  readonly type: 'tumbling' | 'hopping';
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly graceMs: number;
}

/**
 * Sliding windows (Kafka Streams' SlidingWindows): windows of `timeDifferenceMs` anchored at
 * records, both ends inclusive; two records fall in a common window when their timestamps differ by
 * at most the time difference.
 */
export interface SlidingWindowSpec {
  readonly type: 'sliding';
  readonly timeDifferenceMs: number;
  readonly graceMs: number;
}

/** Session windows: records of a key closer than `gapMs` merge into one session (both ends inclusive). */
export interface SessionWindowSpec {
  readonly type: 'session';
  readonly gapMs: number;
  readonly graceMs: number;
}

/** Join windows for stream-stream joins: a record joins records of the other side within [t - before, t + after]. */
export interface JoinWindowSpec {
  readonly type: 'join';
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number;
}

/** Any window spec `windowedBy()` accepts. */
export type WindowSpec = TimeWindowSpec | SlidingWindowSpec | SessionWindowSpec;

/** Describes a window spec for topology descriptions and errors, e.g. "hopping 5m/1m, grace 30s". */
export function describeWindow(spec: WindowSpec | JoinWindowSpec): string {
  const d = formatMs;
  switch (spec.type) {
    case 'tumbling':
      return `tumbling ${d(spec.sizeMs)}, grace ${d(spec.graceMs)}`;
    case 'hopping':
      return `hopping ${d(spec.sizeMs)}/${d(spec.advanceMs)}, grace ${d(spec.graceMs)}`;
    case 'sliding':
      return `sliding ${d(spec.timeDifferenceMs)}, grace ${d(spec.graceMs)}`;
    case 'session':
      return `session gap ${d(spec.gapMs)}, grace ${d(spec.graceMs)}`;
    case 'join':
      return `join -${d(spec.beforeMs)}/+${d(spec.afterMs)}, grace ${d(spec.graceMs)}`;
  }
}

/** Checks a spec; returns a message for what is wrong, or undefined. Called by build(). */
export function checkWindow(spec: WindowSpec | JoinWindowSpec): string | undefined {
  if (spec.type === 'tumbling' || spec.type === 'hopping') {
    if (!(spec.sizeMs > 0)) return `window size must be positive, got ${spec.sizeMs} ms`;
    if (!(spec.advanceMs > 0)) return `window advance must be positive, got ${spec.advanceMs} ms`;
    if (spec.advanceMs > spec.sizeMs) {
      return `window advance (${formatMs(spec.advanceMs)}) is larger than its size (${formatMs(spec.sizeMs)}): records between windows would be lost`;
    }
  }
  if (spec.type === 'sliding' && !(spec.timeDifferenceMs > 0))
    return 'sliding window time difference must be positive';
  if (spec.type === 'session' && !(spec.gapMs > 0)) return 'session gap must be positive';
  if (spec.graceMs < 0) return 'grace must not be negative';
  return undefined;
}

/** Window factories used by `windowedBy(...)` and stream-stream joins. Durations: ms or "30s", "5m", "1h". */
export const windows = {
  /** Non-overlapping windows of `size`. */
  tumbling(options: { size: Duration; grace?: Duration }): TimeWindowSpec {
    const sizeMs = toMillis(options.size, 'window size');
    return { type: 'tumbling', sizeMs, advanceMs: sizeMs, graceMs: toMillis(options.grace ?? 0, 'grace') };
  },
  /** Overlapping windows of `size` starting every `advance`; each record counts in size/advance windows. */
  hopping(options: { size: Duration; advance: Duration; grace?: Duration }): TimeWindowSpec {
    return {
      type: 'hopping',
      sizeMs: toMillis(options.size, 'window size'),
      advanceMs: toMillis(options.advance, 'window advance'),
      graceMs: toMillis(options.grace ?? 0, 'grace'),
    };
  },
  /** Windows anchored at records: records within `timeDifference` of each other share a window. */
  sliding(options: { timeDifference: Duration; grace?: Duration }): SlidingWindowSpec {
    return {
      type: 'sliding',
      timeDifferenceMs: toMillis(options.timeDifference, 'time difference'),
      graceMs: toMillis(options.grace ?? 0, 'grace'),
    };
  },
  /** Activity sessions per key, closed by `gap` of inactivity. */
  session(options: { gap: Duration; grace?: Duration }): SessionWindowSpec {
    return {
      type: 'session',
      gapMs: toMillis(options.gap, 'session gap'),
      graceMs: toMillis(options.grace ?? 0, 'grace'),
    };
  },
  /** Join window for stream-stream joins: `before`/`after` default to `within`. */
  join(options: {
    within?: Duration;
    before?: Duration;
    after?: Duration;
    grace?: Duration;
  }): JoinWindowSpec {
    const within = options.within ?? 0;
    return {
      type: 'join',
      beforeMs: toMillis(options.before ?? within, 'join before'),
      afterMs: toMillis(options.after ?? within, 'join after'),
      graceMs: toMillis(options.grace ?? 0, 'grace'),
    };
  },
};

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 && ms > 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
