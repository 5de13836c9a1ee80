/** `syn-flood`: many SYNs that get no SYN-ACK back. */
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/**
 * Fires when a source sent at least `synFlood.minSyns` SYNs in one window, fewer than
 * `maxAnsweredRatio` of them were answered by a SYN-ACK, and they hammer few ports (at least
 * `minSynsPerPort` SYNs per distinct destination port; a port scan, with about one SYN per port, is
 * the port-scan detector's).
 */
export const detectSynFlood: Detector = (stats, _baseline, config, at) => {
  const { minSyns, maxAnsweredRatio, minSynsPerPort } = config.synFlood;
  const syns = stats.tcpSyn;
  if (syns < minSyns) return undefined;
  const answered = stats.tcpSynAckReceived / syns;
  const perPort = syns / Math.max(1, stats.distinctDstPorts);
  if (answered >= maxAnsweredRatio || perPort < minSynsPerPort) return undefined;
  return makeAlert('syn-flood', stats, at, {
    severity: severityOf(syns / minSyns, config),
    summary: `${stats.source} sent ${syns} SYNs in ${windowText(stats)} and got ${stats.tcpSynAckReceived} SYN-ACKs back (${(answered * 100).toFixed(1)} %, threshold ${minSyns} SYNs under ${maxAnsweredRatio * 100} % answered).`,
    evidence: {
      tcpSyn: syns,
      tcpSynAckReceived: stats.tcpSynAckReceived,
      answeredRatio: Math.round(answered * 10_000) / 10_000,
      synsPerPort: Math.round(perPort * 100) / 100,
      minSyns,
      maxAnsweredRatio,
    },
  });
};
