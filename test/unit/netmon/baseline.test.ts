import { describe, expect, it } from 'vitest';
import {
  type Baseline,
  isSpike,
  learnWindow,
  resolveMonitorOptions,
} from '../../../examples/network-monitor/monitor/index.js';
import { statsRow, WINDOW_START } from './stats-row.js';

const config = resolveMonitorOptions({ trafficSpike: { alpha: 0.5 } });
const minute = 60_000;

/** Closed rows of one source, one per advance, with these packet counts. */
function learnAll(counts: number[], start = WINDOW_START): Baseline | undefined {
  let baseline: Baseline | undefined;
  counts.forEach((packets, i) => {
    baseline = learnWindow(baseline, statsRow({ packets, windowStart: start + i * minute }), config);
  });
  return baseline;
}

describe('adaptive baseline', () => {
  it('skips the ramp-up windows (size/advance - 1 of them) and learns from the fifth on', () => {
    const afterRamp = learnAll([10, 20, 30, 40]);
    expect(afterRamp).toMatchObject({
      windows: 0,
      firstWindowStart: WINDOW_START,
      lastWindowStart: WINDOW_START + 3 * minute,
    });
    const first = learnAll([10, 20, 30, 40, 100]);
    expect(first).toMatchObject({ mean: 100, variance: 0, windows: 1 });
  });

  it('moves the mean and variance by the EWMA rule', () => {
    const b = learnAll([0, 0, 0, 0, 100, 120])!;
    // alpha 0.5: diff 20, mean 110, variance 0.5 * (0 + 20 * 10) = 100
    expect(b).toMatchObject({ mean: 110, variance: 100, windows: 2 });
  });

  it('clips a learnt window at mean + 3 standard deviations (floored at sqrt(mean))', () => {
    const b = learnAll([0, 0, 0, 0, 100, 200])!;
    // std = sqrt(100) = 10: 200 is learnt as 130; diff 30, mean 115, variance 0.5 * 30 * 15 = 225
    expect(b).toMatchObject({ mean: 115, variance: 225, windows: 2 });
  });

  it('is not warm before warmupWindows full windows', () => {
    const cold = learnAll([0, 0, 0, 0, 100, 100, 100, 100])!; // 4 full windows
    expect(isSpike(10_000, cold, config)).toBe(false);
    const warmBaseline = learnWindow(
      cold,
      statsRow({ packets: 100, windowStart: WINDOW_START + 8 * minute }),
      config,
    );
    expect(warmBaseline.windows).toBe(5);
    expect(isSpike(10_000, warmBaseline, config)).toBe(true);
    expect(isSpike(299, warmBaseline, config)).toBe(false); // under minPackets
  });

  it('does not learn a window that is itself a spike', () => {
    const b = learnAll([0, 0, 0, 0, 100, 100, 100, 100, 100])!;
    const after = learnWindow(b, statsRow({ packets: 5000, windowStart: WINDOW_START + 9 * minute }), config);
    expect(after).toMatchObject({ mean: b.mean, variance: b.variance, windows: b.windows });
    expect(after.lastWindowStart).toBe(WINDOW_START + 9 * minute);
  });
});
