/** `packet-rate`: the source write-up's static threshold, packets per window (count > 1000). */
import { severityOf } from '../options.js';
import { type Detector, makeAlert, windowText } from './detector.js';

/** Fires when a source sent more than `packetRate.maxPackets` packets in one window. */
export const detectPacketRate: Detector = (stats, _baseline, config, at) => {
  const limit = config.packetRate.maxPackets;
  if (stats.packets <= limit) return undefined;
  return makeAlert('packet-rate', stats, at, {
    severity: severityOf(stats.packets / limit, config),
    summary: `${stats.source} sent ${stats.packets} packets in ${windowText(stats)}, above the limit of ${limit} per window.`,
    evidence: { packets: stats.packets, maxPackets: limit, bytes: stats.bytes },
  });
};
