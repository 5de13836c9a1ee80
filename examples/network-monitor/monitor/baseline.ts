/**
 * A source's adaptive baseline: the exponentially weighted mean and variance of its packets per
 * window, learnt from its closed windows only (an open window is still growing).
 *
 * Ramp-up windows are skipped: the first windows in which a source appears start before its first
 * packet, so they are only partly filled; with hopping windows that is the first size/advance - 1
 * of them. Windows the spike detector would flag are not learnt either, so an attack does not teach
 * the baseline that attacks are normal, and every other window is clipped at mean + 3 standard
 * deviations before it is learnt (a winsorized EWMA): the windows that close while a spike is still
 * building up (part normal, part spike) would otherwise raise the baseline before the spike shows.
 * Legitimate growth is still learnt, one clipped step per window.
 *
 * The standard deviation is floored at the square root of the mean (the spread of a Poisson count),
 * so a perfectly regular host does not get a zero-width baseline.
 */
import type { SourceWindowStats } from '../types.js';
import type { MonitorConfig } from './options.js';

/** One source's baseline, as kept in the baseline store (plain data). */
export interface Baseline {
  /** EWMA of packets per full window. */
  readonly mean: number;
  /** EWMA variance of packets per full window. */
  readonly variance: number;
  /** Full windows learnt so far (warm-up counts these). */
  readonly windows: number;
  /** Start of the first closed window seen for this source. */
  readonly firstWindowStart: number;
  /** Start of the newest closed window seen. */
  readonly lastWindowStart: number;
}

/** How far `packets` stands above a baseline. */
export interface Deviation {
  readonly zScore: number;
  readonly ratio: number;
}

/** Clipping point of learnt windows, in standard deviations above the mean. */
const CLIP_STD = 3;

/** The baseline's standard deviation, floored at sqrt(mean) and at 1 packet. */
export function stdDev(baseline: Baseline): number {
  return Math.max(1, Math.sqrt(baseline.mean), Math.sqrt(baseline.variance));
}

/** The z-score and ratio of `packets` against `baseline` (see {@link stdDev}). */
export function deviation(packets: number, baseline: Baseline): Deviation {
  const std = stdDev(baseline);
  return {
    zScore: (packets - baseline.mean) / std,
    ratio: baseline.mean > 0 ? packets / baseline.mean : Number.POSITIVE_INFINITY,
  };
}

/** True when the baseline is warm and `packets` is a spike against it under `config`'s thresholds. */
export function isSpike(packets: number, baseline: Baseline | undefined, config: MonitorConfig): boolean {
  const t = config.trafficSpike;
  if (!baseline || baseline.windows < t.warmupWindows || packets < t.minPackets) return false;
  const d = deviation(packets, baseline);
  return d.zScore >= t.minZScore && d.ratio >= t.minRatio;
}

/** The baseline after learning one closed window (`previous` is not changed). */
export function learnWindow(
  previous: Baseline | undefined,
  closed: SourceWindowStats,
  config: MonitorConfig,
): Baseline {
  const { sizeMs, advanceMs } = config.window;
  const firstWindowStart = previous?.firstWindowStart ?? closed.windowStart;
  const base: Baseline = previous ?? {
    mean: 0,
    variance: 0,
    windows: 0,
    firstWindowStart,
    lastWindowStart: closed.windowStart,
  };
  const rampUp = closed.windowStart < firstWindowStart + sizeMs - advanceMs;
  if (rampUp || isSpike(closed.packets, previous, config)) {
    return { ...base, lastWindowStart: Math.max(base.lastWindowStart, closed.windowStart) };
  }
  if (base.windows === 0) {
    const x = closed.packets;
    return { mean: x, variance: 0, windows: 1, firstWindowStart, lastWindowStart: closed.windowStart };
  }
  // West's incremental EWMA: mean moves by alpha * diff, variance decays and takes the new spread.
  const x = Math.min(closed.packets, base.mean + CLIP_STD * stdDev(base));
  const alpha = config.trafficSpike.alpha;
  const diff = x - base.mean;
  const increment = alpha * diff;
  return {
    mean: base.mean + increment,
    variance: (1 - alpha) * (base.variance + diff * increment),
    windows: base.windows + 1,
    firstWindowStart,
    lastWindowStart: Math.max(base.lastWindowStart, closed.windowStart),
  };
}
