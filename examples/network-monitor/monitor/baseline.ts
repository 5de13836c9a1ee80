/**
 * A source's adaptive baseline: the exponentially weighted mean and variance of its packets per
 * window, learnt from its closed windows only (an open window is still growing).
 *
 * Coverage: the first windows in which a source appears start before its first packet, so they are
 * only partly filled. A closed window is learnt as its packets scaled to the whole window length
 * (`packets × size / covered`, where `covered` is the part of the window after the source was first
 * seen), and only when it covers at least one advance. A baseline is warm after `warmupWindows`
 * learnt windows, so on a capture that starts with the source, after about `warmupWindows` + 1
 * advances plus the grace of event time (4.5 minutes by default).
 *
 * Warm-up: until it is warm, the baseline is the plain average of its windows (each new window
 * weighs 1/n, never less than `alpha`, and nothing is clipped). An EWMA started from its first
 * window alone stays anchored there: on the bundled demo capture an ordinary host's first learnt
 * window, extrapolated from its first quiet minutes, held its baseline at half its real level (the
 * clipping below lets it grow only a few packets per window), and its normal drift then looked like
 * a 6× spike.
 *
 * Robustness: a window the spike test flags is not learnt, so an attack does not teach the baseline
 * that attacks are normal; once warm, every other window is clipped at mean + 3 standard deviations before it
 * is learnt (a winsorized EWMA), because windows that close while a spike builds up (part normal,
 * part spike) would otherwise raise the baseline before the spike shows. Legitimate growth is still
 * learnt, one clipped step per window. The standard deviation is floored at the square root of the
 * mean (the spread of a Poisson count), so a perfectly regular host does not get a zero-width
 * baseline.
 *
 * Open windows are compared pro rata: after `elapsed` of a window (at least one advance), the
 * expectation is `mean × elapsed / size`, so a spike shows within seconds of its start instead of
 * when a whole window's worth of packets has piled up.
 */
import type { SourceWindowStats } from '../types.js';
import type { MonitorConfig } from './options.js';

/** One source's baseline, as kept in the baseline store (plain data). */
export interface Baseline {
  /** EWMA of packets per window (scaled to the whole window). */
  readonly mean: number;
  /** EWMA variance of packets per window. */
  readonly variance: number;
  /** Windows learnt so far (warm-up counts these). */
  readonly windows: number;
  /** Event time of the source's first packet the monitor saw. */
  readonly firstSeenAt: number;
  /** Start of the newest closed window seen; -1 before the first (finite: stores may encode as JSON). */
  readonly lastWindowStart: number;
}

/** How far `packets` stands above a baseline's expectation for the same stretch of time. */
export interface Deviation {
  /** Packets expected: the mean, pro rata of the elapsed part of the window. */
  readonly expected: number;
  readonly zScore: number;
  readonly ratio: number;
}

/** Clipping point of learnt windows, in standard deviations above the mean. */
const CLIP_STD = 3;

/** A baseline with nothing learnt, for a source first seen at `firstSeenAt`. */
export function newBaseline(firstSeenAt: number): Baseline {
  return { mean: 0, variance: 0, windows: 0, firstSeenAt, lastWindowStart: -1 };
}

/** The baseline's standard deviation for a whole window, floored at sqrt(mean) and at 1 packet. */
export function stdDev(baseline: Baseline): number {
  return Math.max(1, Math.sqrt(baseline.mean), Math.sqrt(baseline.variance));
}

/**
 * The z-score and ratio of `packets` seen over `fraction` (0..1] of a window against `baseline`:
 * the expectation is `fraction × mean`; the spread is the larger of its Poisson spread and the
 * window's standard deviation scaled by `fraction`.
 */
export function deviation(packets: number, baseline: Baseline, fraction = 1): Deviation {
  const expected = fraction * baseline.mean;
  const std = Math.max(1, Math.sqrt(expected), fraction * Math.sqrt(baseline.variance));
  return {
    expected,
    zScore: (packets - expected) / std,
    ratio: expected > 0 ? packets / expected : Number.POSITIVE_INFINITY,
  };
}

/**
 * The part (0..1] of `stats`' window the source has been active in by event time `at`: from the
 * later of the window start and its first packet, to `at` (or the window end). Below one advance it
 * is too short to judge, and 0 is returned.
 */
export function elapsedFraction(
  stats: Pick<SourceWindowStats, 'windowStart' | 'windowEnd'>,
  baseline: Baseline,
  at: number,
  config: MonitorConfig,
): number {
  const { sizeMs, advanceMs } = config.window;
  const from = Math.max(stats.windowStart, baseline.firstSeenAt);
  const covered = Math.min(stats.windowEnd, at + 1) - from;
  return covered < advanceMs ? 0 : Math.min(1, covered / sizeMs);
}

/**
 * True when the baseline is warm and `packets` over `fraction` of a window is a spike: at least
 * `minZScore` deviations and `minRatio` times above the expectation, and at least `minPackets`
 * when scaled to a whole window.
 */
export function isSpike(
  packets: number,
  baseline: Baseline | undefined,
  config: MonitorConfig,
  fraction = 1,
): boolean {
  const t = config.trafficSpike;
  if (!baseline || baseline.windows < t.warmupWindows || fraction <= 0) return false;
  if (packets / fraction < t.minPackets) return false;
  const d = deviation(packets, baseline, fraction);
  return d.zScore >= t.minZScore && d.ratio >= t.minRatio;
}

/** The baseline after learning one closed window (`previous` is not changed). */
export function learnWindow(
  previous: Baseline | undefined,
  closed: SourceWindowStats,
  config: MonitorConfig,
): Baseline {
  // Without a first-seen time (state lost), assume the window was covered for one advance only.
  const base = previous ?? newBaseline(closed.windowEnd - config.window.advanceMs);
  const seen = { ...base, lastWindowStart: Math.max(base.lastWindowStart, closed.windowStart) };
  const fraction = elapsedFraction(closed, base, closed.windowEnd - 1, config);
  if (fraction <= 0) return seen;
  const scaled = closed.packets / fraction;
  if (isSpike(scaled, base, config)) return seen;
  if (base.windows === 0) return { ...seen, mean: scaled, variance: 0, windows: 1 };
  // While young, the baseline is the plain average of its windows (weight 1/n, unclipped): its first
  // window alone, often extrapolated from a minute of traffic, must not anchor it.
  const young = base.windows < config.trafficSpike.warmupWindows;
  const x = young ? scaled : Math.min(scaled, base.mean + CLIP_STD * stdDev(base));
  const alpha = Math.max(config.trafficSpike.alpha, 1 / (base.windows + 1));
  // West's incremental EWMA: mean moves by alpha * diff, variance decays and takes the new spread.
  const diff = x - base.mean;
  const increment = alpha * diff;
  return {
    ...seen,
    mean: base.mean + increment,
    variance: (1 - alpha) * (base.variance + diff * increment),
    windows: base.windows + 1,
  };
}
