/** `traffic-spike`: packets far above the source's own adaptive baseline. */
import { deviation, elapsedFraction, isSpike, stdDev } from '../baseline.js';
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/**
 * Fires when a source's packets so far in a window are at least `trafficSpike.minZScore`
 * deviations and `minRatio` times above what its baseline expects for that much of the window (pro
 * rata, after at least one advance), and at least `minPackets` scaled to a whole window, once the
 * baseline has learnt `warmupWindows` windows.
 */
export const detectTrafficSpike: Detector = (stats, baseline, config, at) => {
  if (!baseline) return undefined;
  const fraction = elapsedFraction(stats, baseline, at, config);
  if (!isSpike(stats.packets, baseline, config, fraction)) return undefined;
  const { expected, zScore, ratio } = deviation(stats.packets, baseline, fraction);
  return makeAlert('traffic-spike', stats, at, {
    severity: severityOf(zScore / config.trafficSpike.minZScore, config),
    summary: `${stats.source} sent ${stats.packets} packets in ${windowText(stats)} so far, ${ratio.toFixed(1)}× the ${Math.round(expected)} its baseline expects by now (z-score ${zScore.toFixed(1)}).`,
    evidence: {
      packets: stats.packets,
      expected: Math.round(expected * 100) / 100,
      baselineMean: Math.round(baseline.mean * 100) / 100,
      baselineStdDev: Math.round(stdDev(baseline) * 100) / 100,
      windowFraction: Math.round(fraction * 1000) / 1000,
      zScore: Math.round(zScore * 100) / 100,
      ratio: Math.round(ratio * 100) / 100,
      baselineWindows: baseline.windows,
    },
  });
};
