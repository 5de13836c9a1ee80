/** `dns-nxdomain`: a burst of NXDOMAIN answers to one source. */
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/** Fires when a source received at least `dnsNxdomain.minNxdomain` NXDOMAIN answers in one window. */
export const detectDnsNxdomain: Detector = (stats, _baseline, config, at) => {
  const limit = config.dnsNxdomain.minNxdomain;
  if (stats.dnsNxdomain < limit) return undefined;
  return makeAlert('dns-nxdomain', stats, at, {
    severity: severityOf(stats.dnsNxdomain / limit, config),
    summary: `${stats.source} received ${stats.dnsNxdomain} NXDOMAIN answers in ${windowText(stats)} (threshold ${limit}).`,
    evidence: { dnsNxdomain: stats.dnsNxdomain, minNxdomain: limit },
  });
};
