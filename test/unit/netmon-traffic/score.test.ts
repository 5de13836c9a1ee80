import { describe, expect, it } from 'vitest';
import {
  percentile,
  quality,
  scoreDetector,
  sumScores,
  type TrafficLabel,
} from '../../../examples/network-monitor/traffic/index.js';
import type { Alert, DetectorName } from '../../../examples/network-monitor/types.js';

const MIN = 60_000;
const label = (
  detector: DetectorName,
  source: string,
  startMs: number,
  endMs: number,
  tolerated: DetectorName[] = [],
): TrafficLabel => ({
  anomaly: 'syn-flood',
  detector,
  source,
  startMs,
  endMs,
  tolerated,
});
const alert = (detector: DetectorName, source: string, windowStart: number, firedAt: number): Alert => ({
  id: `${detector}:${source}:${windowStart}`,
  detector,
  severity: 'warning',
  source,
  windowStart,
  windowEnd: windowStart + 5 * MIN,
  firedAt,
  summary: '',
  evidence: {},
});
const pairs = (sources: string[], starts: number[]) =>
  sources.flatMap((source) =>
    starts.map((windowStart) => ({ source, windowStart, windowEnd: windowStart + 5 * MIN })),
  );

describe('scoreDetector', () => {
  const labels = [
    label('syn-flood', 'attacker', 10 * MIN, 11 * MIN, ['traffic-spike']),
    label('packet-rate', 'attacker', 10 * MIN + 5_000, 11 * MIN),
    label('syn-flood', 'other', 20 * MIN, 21 * MIN),
  ];
  const universe = pairs(
    ['attacker', 'other', 'a', 'b'],
    [0, MIN, 2 * MIN, 6 * MIN, 7 * MIN, 8 * MIN, 16 * MIN, 17 * MIN],
  );

  it('counts matching alerts as true, others as false, and a missed label against recall', () => {
    const alerts = [
      alert('syn-flood', 'attacker', 6 * MIN, 10 * MIN + 1_500), // overlaps the label: true, 1.5 s late
      alert('syn-flood', 'attacker', 7 * MIN, 10 * MIN + 3_000), // a second true alert
      alert('syn-flood', 'a', 6 * MIN, 10 * MIN), // nobody labelled "a": false
      alert('syn-flood', 'attacker', 0, 2 * MIN), // window ends before the label: false
    ];
    const score = scoreDetector('syn-flood', labels, alerts, universe);
    expect(score).toMatchObject({
      labels: 2,
      detected: 1,
      truePositives: 2,
      falsePositives: 2,
      falsePositivePairs: 2,
    });
    expect(score.latenciesS).toEqual([1.5]);
    expect(score.missed.map((l) => l.source)).toEqual(['other']);
    const q = quality(score);
    expect(q.precision).toBe(0.5);
    expect(q.recall).toBe(0.5);
    // Negatives: 32 pairs minus those covered by a syn-flood label (attacker 6,7,8 min; other 16,17 min).
    expect(score.negativePairs).toBe(32 - 5);
    expect(q.fpr).toBeCloseTo(2 / 27);
  });

  it('lets a tolerated detector fire without counting it either way', () => {
    const score = scoreDetector(
      'traffic-spike',
      labels,
      [alert('traffic-spike', 'attacker', 7 * MIN, 10 * MIN + 9_000)],
      universe,
    );
    expect(score).toMatchObject({ labels: 0, truePositives: 0, falsePositives: 0, falsePositivePairs: 0 });
    expect(quality(score).precision).toBeUndefined();
    expect(score.negativePairs).toBe(32 - 3);
  });

  it('adds runs up and takes percentiles by nearest rank', () => {
    const one = scoreDetector(
      'packet-rate',
      labels,
      [alert('packet-rate', 'attacker', 8 * MIN, 10 * MIN + 6_000)],
      universe,
    );
    const total = sumScores([one, one]);
    expect(total).toMatchObject({ labels: 2, detected: 2, truePositives: 2, falsePositives: 0 });
    expect(total.latenciesS).toEqual([1, 1]);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(percentile([], 99)).toBeUndefined();
  });
});
