import { describe, expect, it } from 'vitest';
import {
  type Baseline,
  elapsedFraction,
  isSpike,
  learnWindow,
  newBaseline,
  resolveMonitorOptions,
} from '../../../examples/network-monitor/monitor/index.js';
import { statsRow, WINDOW_START } from './stats-row.js';

const config = resolveMonitorOptions({ trafficSpike: { alpha: 0.5 } });
const minute = 60_000;

/** Learns closed windows starting at `firstStart`, one per advance, with these packet counts. */
function learnAll(counts: number[], firstSeenAt = WINDOW_START, firstStart = WINDOW_START): Baseline {
  let baseline = newBaseline(firstSeenAt);
  counts.forEach((packets, i) => {
    const windowStart = firstStart + i * minute;
    baseline = learnWindow(
      baseline,
      statsRow({ packets, windowStart, windowEnd: windowStart + 5 * minute }),
      config,
    );
  });
  return baseline;
}

describe('adaptive baseline', () => {
  it('scales windows the source covered only in part to a whole window', () => {
    // First seen at WINDOW_START: the window starting 4 minutes earlier covers 1 minute of it, and so on.
    const b = learnAll([60, 120, 180, 240, 300], WINDOW_START, WINDOW_START - 4 * minute);
    expect(b).toMatchObject({ mean: 300, variance: 0, windows: 5, lastWindowStart: WINDOW_START });
  });

  it('skips windows that cover less than one advance of the source', () => {
    const b = learnAll([30, 90], WINDOW_START + 30_000, WINDOW_START - 4 * minute);
    expect(b.windows).toBe(1); // the first covers 30 s: skipped; the second 90 s: learnt as 90 * 300/90
    expect(b.mean).toBe(300);
    expect(b.lastWindowStart).toBe(WINDOW_START - 3 * minute);
  });

  it('moves the mean and variance by the EWMA rule', () => {
    // alpha 0.5: diff 20, mean 110, variance 0.5 * (0 + 20 * 10) = 100
    expect(learnAll([100, 120])).toMatchObject({ mean: 110, variance: 100, windows: 2 });
  });

  it('clips a learnt window at mean + 3 standard deviations (floored at sqrt(mean)) once warm', () => {
    // Warm after 3 windows of 100: std = sqrt(100) = 10, so 200 is learnt as 130; alpha 0.5: diff
    // 30, mean 115, variance 0.5 * 30 * 15 = 225
    expect(learnAll([100, 100, 100, 200])).toMatchObject({ mean: 115, variance: 225, windows: 4 });
  });

  it('averages its first windows, unclipped, while young', () => {
    // Default alpha 0.2: the first three windows weigh 1, 1/2, 1/3, i.e. their plain average, so
    // a low first window (a source's first, extrapolated minute) does not anchor the baseline.
    const young = resolveMonitorOptions({ trafficSpike: { warmupWindows: 3 } });
    let b = newBaseline(WINDOW_START);
    for (const [i, packets] of [100, 200, 300].entries()) {
      const windowStart = WINDOW_START + i * minute;
      b = learnWindow(b, statsRow({ packets, windowStart, windowEnd: windowStart + 5 * minute }), young);
    }
    expect(b.mean).toBeCloseTo(200, 9);
    expect(b.variance).toBeCloseTo(((100 - 200) ** 2 + 0 + (300 - 200) ** 2) / 3, 9);
    expect(b.windows).toBe(3);
    // Once warm, alpha takes over (1/4 > 0.2 still averages; the fifth window weighs 0.2).
    const windowStart = WINDOW_START + 3 * minute;
    const next = learnWindow(
      b,
      statsRow({ packets: 200, windowStart, windowEnd: windowStart + 5 * minute }),
      young,
    );
    expect(next.mean).toBeCloseTo(200, 9);
  });

  it('is not warm before warmupWindows learnt windows', () => {
    const cold = learnAll([100, 100]);
    expect(isSpike(10_000, cold, config)).toBe(false);
    const warm = learnAll([100, 100, 100]);
    expect(warm.windows).toBe(3);
    expect(isSpike(10_000, warm, config)).toBe(true);
    expect(isSpike(499, warm, config)).toBe(false); // under minPackets
  });

  it('does not learn a window that is itself a spike', () => {
    const b = learnAll([100, 100, 100, 100, 100]);
    const windowStart = WINDOW_START + 5 * minute;
    const after = learnWindow(
      b,
      statsRow({ packets: 5000, windowStart, windowEnd: windowStart + 5 * minute }),
      config,
    );
    expect(after).toMatchObject({
      mean: b.mean,
      variance: b.variance,
      windows: b.windows,
      lastWindowStart: windowStart,
    });
  });

  it('measures how much of a window the source has been active in', () => {
    const b = newBaseline(WINDOW_START - 3_600_000);
    const row = statsRow();
    expect(elapsedFraction(row, b, WINDOW_START + 150_000 - 1, config)).toBe(0.5);
    expect(elapsedFraction(row, b, WINDOW_START + 59_998, config)).toBe(0); // under one advance
    expect(elapsedFraction(row, b, WINDOW_START + 10 * minute, config)).toBe(1);
    expect(
      elapsedFraction(row, newBaseline(WINDOW_START + 2 * minute), WINDOW_START + 5 * minute, config),
    ).toBe(0.6);
  });
});
