/** `traffic-spike`: packets far above the source's own adaptive baseline. */
import { deviation, isSpike, stdDev } from '../baseline.js';
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/**
 * Fires when a source's packets in a window are at least `trafficSpike.minZScore` standard
 * deviations and `minRatio` times above its baseline mean, and at least `minPackets`, once the
 * baseline has learnt `warmupWindows` full windows.
 */
export const detectTrafficSpike: Detector = (stats, baseline, config, at) => {
  if (!baseline || !isSpike(stats.packets, baseline, config)) return undefined;
  const { zScore, ratio } = deviation(stats.packets, baseline);
  const t = config.trafficSpike;
  return makeAlert('traffic-spike', stats, at, {
    severity: severityOf(zScore / t.minZScore, config),
    summary: `${stats.source} sent ${stats.packets} packets in ${windowText(stats)}, ${ratio.toFixed(1)}× its usual ${Math.round(baseline.mean)} (z-score ${zScore.toFixed(1)}).`,
    evidence: {
      packets: stats.packets,
      baselineMean: Math.round(baseline.mean * 100) / 100,
      baselineStdDev: Math.round(stdDev(baseline) * 100) / 100,
      zScore: Math.round(zScore * 100) / 100,
      ratio: Math.round(ratio * 100) / 100,
      baselineWindows: baseline.windows,
    },
  });
};
