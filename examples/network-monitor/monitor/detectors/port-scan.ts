/** `port-scan`: many distinct destination ports from one source. */
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/**
 * Fires when a source sent to at least `portScan.minDistinctPorts` distinct service-side
 * destination ports in one window (replies to clients' ephemeral ports do not count: see
 * host-observation.ts).
 */
export const detectPortScan: Detector = (stats, _baseline, config, at) => {
  const limit = config.portScan.minDistinctPorts;
  if (stats.distinctDstPorts < limit) return undefined;
  return makeAlert('port-scan', stats, at, {
    severity: severityOf(stats.distinctDstPorts / limit, config),
    summary: `${stats.source} probed ${stats.distinctDstPorts} distinct ports on ${stats.distinctDstHosts} hosts in ${windowText(stats)} (threshold ${limit}).`,
    evidence: {
      distinctDstPorts: stats.distinctDstPorts,
      distinctDstHosts: stats.distinctDstHosts,
      tcpSyn: stats.tcpSyn,
      minDistinctPorts: limit,
    },
  });
};
