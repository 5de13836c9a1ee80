import { describe, expect, it } from 'vitest';
import {
  type Baseline,
  detectDnsNxdomain,
  detectors,
  detectPacketRate,
  detectPortScan,
  detectSlowResponse,
  detectSynFlood,
  detectTrafficSpike,
  resolveMonitorOptions,
} from '../../../examples/network-monitor/monitor/index.js';
import { statsRow, WINDOW_START } from './stats-row.js';

const config = resolveMonitorOptions();
const at = WINDOW_START + 42_000;
const warm: Baseline = {
  mean: 100,
  variance: 400, // std 20
  windows: 10,
  firstSeenAt: WINDOW_START - 3_600_000,
  lastWindowStart: WINDOW_START - 60_000,
};

describe('detectors', () => {
  it('packet-rate fires above 1000 packets per window, not at 1000', () => {
    expect(detectPacketRate(statsRow({ packets: 1000 }), undefined, config, at)).toBeUndefined();
    const alert = detectPacketRate(statsRow({ packets: 1001 }), undefined, config, at);
    expect(alert).toMatchObject({
      id: `packet-rate:10.0.0.7:${WINDOW_START}`,
      detector: 'packet-rate',
      severity: 'warning',
      source: '10.0.0.7',
      windowStart: WINDOW_START,
      windowEnd: WINDOW_START + 300_000,
      firedAt: at,
      evidence: { packets: 1001, maxPackets: 1000 },
    });
    expect(alert!.summary).toContain('1001 packets');
    expect(detectPacketRate(statsRow({ packets: 2000 }), undefined, config, at)!.severity).toBe('critical');
  });

  it('slow-response fires on an average above 5000 ms, not at 5000 or without responses', () => {
    expect(detectSlowResponse(statsRow({ avgResponseMs: 5000 }), undefined, config, at)).toBeUndefined();
    expect(detectSlowResponse(statsRow({ avgResponseMs: undefined }), undefined, config, at)).toBeUndefined();
    const alert = detectSlowResponse(
      statsRow({ avgResponseMs: 5200, maxResponseMs: 9000 }),
      undefined,
      config,
      at,
    );
    expect(alert).toMatchObject({
      detector: 'slow-response',
      severity: 'warning',
      evidence: { avgResponseMs: 5200, maxResponseMs: 9000, maxAvgResponseMs: 5000 },
    });
  });

  it('port-scan fires at 30 distinct destination ports, not at 29', () => {
    expect(detectPortScan(statsRow({ distinctDstPorts: 29 }), undefined, config, at)).toBeUndefined();
    expect(detectPortScan(statsRow({ distinctDstPorts: 30 }), undefined, config, at)).toMatchObject({
      detector: 'port-scan',
      evidence: { distinctDstPorts: 30, minDistinctPorts: 30 },
    });
  });

  it('syn-flood fires on 100 mostly unanswered SYNs to few ports, and only then', () => {
    const flood = { tcpSyn: 100, tcpSynAckReceived: 19, distinctDstPorts: 1 };
    expect(detectSynFlood(statsRow(flood), undefined, config, at)).toMatchObject({
      detector: 'syn-flood',
      severity: 'warning',
      evidence: { tcpSyn: 100, tcpSynAckReceived: 19, answeredRatio: 0.19 },
    });
    // one SYN short, answered often enough, or spread over ports like a scan: quiet
    expect(detectSynFlood(statsRow({ ...flood, tcpSyn: 99 }), undefined, config, at)).toBeUndefined();
    expect(
      detectSynFlood(statsRow({ ...flood, tcpSynAckReceived: 20 }), undefined, config, at),
    ).toBeUndefined();
    expect(
      detectSynFlood(statsRow({ ...flood, distinctDstPorts: 26 }), undefined, config, at),
    ).toBeUndefined();
    expect(detectSynFlood(statsRow({ ...flood, distinctDstPorts: 25 }), undefined, config, at)).toBeDefined();
  });

  it('dns-nxdomain fires at 10 NXDOMAIN answers received, not at 9', () => {
    expect(detectDnsNxdomain(statsRow({ dnsNxdomain: 9 }), undefined, config, at)).toBeUndefined();
    expect(detectDnsNxdomain(statsRow({ dnsNxdomain: 20 }), undefined, config, at)).toMatchObject({
      detector: 'dns-nxdomain',
      severity: 'critical',
      evidence: { dnsNxdomain: 20, minNxdomain: 10 },
    });
  });

  it('traffic-spike needs a warm baseline, a z-score, a ratio and an absolute minimum', () => {
    const end = WINDOW_START + 300_000 - 1; // the whole window has elapsed
    const spike = (packets: number, baseline: Baseline | undefined, at = end) =>
      detectTrafficSpike(statsRow({ packets }), baseline, config, at);
    // mean 100, std 20: 600 packets is z 25, ratio 6
    expect(spike(600, warm)).toMatchObject({
      detector: 'traffic-spike',
      evidence: { packets: 600, expected: 100, baselineStdDev: 20, zScore: 25, ratio: 6, windowFraction: 1 },
    });
    expect(spike(599, warm)).toBeUndefined(); // ratio < 6
    expect(spike(600, undefined)).toBeUndefined();
    expect(spike(600, { ...warm, windows: 2 })).toBeUndefined(); // not warm
    expect(spike(600, { ...warm, variance: 16_000 })).toBeUndefined(); // std 126.5: z 3.95
    // quiet host: 25x of 20 packets is 500, the minimum; 499 is not enough
    const quiet = { ...warm, mean: 20, variance: 4 };
    expect(spike(499, quiet)).toBeUndefined();
    expect(spike(500, quiet)).toBeDefined();
  });

  it('traffic-spike compares an open window pro rata, after one advance', () => {
    const half = WINDOW_START + 150_000 - 1; // half the window: 50 expected, std max(sqrt 50, 10) = 10
    expect(detectTrafficSpike(statsRow({ packets: 300 }), warm, config, half)).toMatchObject({
      evidence: { expected: 50, ratio: 6, zScore: 25, windowFraction: 0.5 },
    });
    expect(detectTrafficSpike(statsRow({ packets: 299 }), warm, config, half)).toBeUndefined();
    expect(
      detectTrafficSpike(statsRow({ packets: 5000 }), warm, config, WINDOW_START + 30_000),
    ).toBeUndefined();
  });

  it('stay quiet on an ordinary row', () => {
    for (const detect of Object.values(detectors)) {
      expect(detect(statsRow({ packets: 120 }), warm, config, WINDOW_START + 299_999)).toBeUndefined();
    }
  });
});
