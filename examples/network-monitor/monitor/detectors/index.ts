/** Every detector the monitor ships with, by name. */
import type { DetectorName } from '../../types.js';
import type { Detector } from './detector.js';
import { detectDnsNxdomain } from './dns-nxdomain.js';
import { detectPacketRate } from './packet-rate.js';
import { detectPortScan } from './port-scan.js';
import { detectSlowResponse } from './slow-response.js';
import { detectSynFlood } from './syn-flood.js';
import { detectTrafficSpike } from './traffic-spike.js';

export { type Detector, type Finding, makeAlert } from './detector.js';
export {
  detectDnsNxdomain,
  detectPacketRate,
  detectPortScan,
  detectSlowResponse,
  detectSynFlood,
  detectTrafficSpike,
};

/** The detectors in the order they run on each statistics row. */
export const detectors: Readonly<Record<DetectorName, Detector>> = {
  'packet-rate': detectPacketRate,
  'slow-response': detectSlowResponse,
  'port-scan': detectPortScan,
  'syn-flood': detectSynFlood,
  'dns-nxdomain': detectDnsNxdomain,
  'traffic-spike': detectTrafficSpike,
};
