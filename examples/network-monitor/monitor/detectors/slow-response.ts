/** `slow-response`: the source write-up's static threshold on the average response time (> 5000 ms). */
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/**
 * Fires when a source's average response time in a window is above `slowResponse.maxAvgResponseMs`
 * (response times belong to the responder: a slow server is a slow source).
 */
export const detectSlowResponse: Detector = (stats, _baseline, config, at) => {
  const limit = config.slowResponse.maxAvgResponseMs;
  const avg = stats.avgResponseMs;
  if (avg === undefined || avg <= limit) return undefined;
  return makeAlert('slow-response', stats, at, {
    severity: severityOf(avg / limit, config),
    summary: `${stats.source} answered in ${Math.round(avg)} ms on average in ${windowText(stats)}, above the limit of ${limit} ms.`,
    evidence: {
      avgResponseMs: Math.round(avg * 1000) / 1000,
      maxResponseMs: stats.maxResponseMs ?? 'none',
      maxAvgResponseMs: limit,
    },
  });
};
