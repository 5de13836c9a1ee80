/**
 * Scores a detector run against the ground truth of a generated capture: per detector, precision,
 * recall, false-positive rate over (source, window) pairs, and alert latency from each label's start.
 *
 * Matching: an alert matches a label when they name the same source and the alert's window overlaps
 * [label.startMs, label.endMs]. It is a true positive when the label expects its detector, neutral
 * when the label only tolerates it, and a false positive when no label of its source covers it.
 */
import type { Alert, DetectorName } from '../types.js';
import type { TrafficLabel } from './labels.js';

/** The figures of one detector. */
export interface DetectorScore {
  /** Labels expecting this detector. */
  readonly labels: number;
  /** Of those, labels with at least one matching alert. */
  readonly detected: number;
  /** Alerts matching a label that expects this detector. */
  readonly truePositives: number;
  /** Alerts matching no label of their source (expected or tolerated). */
  readonly falsePositives: number;
  /** (source, window) pairs no label of this detector covers (expected or tolerated): the negatives. */
  readonly negativePairs: number;
  /** Negative pairs with at least one alert of this detector. */
  readonly falsePositivePairs: number;
  /** Event time from each detected label's start to its first matching alert, seconds. */
  readonly latenciesS: readonly number[];
  /** Labels expecting this detector that got no matching alert. */
  readonly missed: readonly TrafficLabel[];
}

/** One (source, window) pair the monitor computed statistics for. */
export interface SourceWindow {
  readonly source: string;
  readonly windowStart: number;
  readonly windowEnd: number;
}

function overlaps(window: { windowStart: number; windowEnd: number }, label: TrafficLabel): boolean {
  return window.windowStart <= label.endMs && window.windowEnd > label.startMs;
}

function covers(label: TrafficLabel, detector: DetectorName): boolean {
  return label.detector === detector || label.tolerated.includes(detector);
}

/**
 * Scores `alerts` for `detector` against `labels`; `pairs` are all (source, window) pairs of the run
 * (the monitor's window statistics), the universe the false-positive rate is taken over.
 */
export function scoreDetector(
  detector: DetectorName,
  labels: readonly TrafficLabel[],
  alerts: readonly Alert[],
  pairs: readonly SourceWindow[],
): DetectorScore {
  const mine = alerts.filter((a) => a.detector === detector);
  const labelsBySource = new Map<string, TrafficLabel[]>();
  for (const l of labels) labelsBySource.set(l.source, [...(labelsBySource.get(l.source) ?? []), l]);
  const of = (source: string) => labelsBySource.get(source) ?? [];

  let truePositives = 0;
  let falsePositives = 0;
  const falsePairs = new Set<string>();
  for (const alert of mine) {
    const matching = of(alert.source).filter((l) => overlaps(alert, l));
    if (matching.some((l) => l.detector === detector)) truePositives++;
    else if (!matching.some((l) => covers(l, detector))) {
      falsePositives++;
      falsePairs.add(`${alert.source}@${alert.windowStart}`);
    }
  }

  const expected = labels.filter((l) => l.detector === detector);
  const latenciesS: number[] = [];
  const missed: TrafficLabel[] = [];
  for (const label of expected) {
    const fired = mine.filter((a) => a.source === label.source && overlaps(a, label)).map((a) => a.firedAt);
    if (fired.length > 0) latenciesS.push((Math.min(...fired) - label.startMs) / 1000);
    else missed.push(label);
  }

  const negatives = new Set<string>();
  for (const pair of pairs) {
    if (!of(pair.source).some((l) => covers(l, detector) && overlaps(pair, l)))
      negatives.add(`${pair.source}@${pair.windowStart}`);
  }
  // An alert on a pair the statistics never closed still counts as a negative pair.
  for (const key of falsePairs) negatives.add(key);

  return {
    labels: expected.length,
    detected: latenciesS.length,
    truePositives,
    falsePositives,
    negativePairs: negatives.size,
    falsePositivePairs: falsePairs.size,
    latenciesS,
    missed,
  };
}

/** Adds up the scores of several runs of one detector. */
export function sumScores(scores: readonly DetectorScore[]): DetectorScore {
  return {
    labels: scores.reduce((n, s) => n + s.labels, 0),
    detected: scores.reduce((n, s) => n + s.detected, 0),
    truePositives: scores.reduce((n, s) => n + s.truePositives, 0),
    falsePositives: scores.reduce((n, s) => n + s.falsePositives, 0),
    negativePairs: scores.reduce((n, s) => n + s.negativePairs, 0),
    falsePositivePairs: scores.reduce((n, s) => n + s.falsePositivePairs, 0),
    latenciesS: scores.flatMap((s) => s.latenciesS),
    missed: scores.flatMap((s) => s.missed),
  };
}

/** The headline figures of a score; undefined where the denominator is zero. */
export interface DetectorQuality {
  readonly precision: number | undefined;
  readonly recall: number | undefined;
  readonly fpr: number | undefined;
  readonly alert_latency_p99_s: number | undefined;
}

/** The p-th percentile (0..100, nearest rank) of `values`; undefined when empty. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Precision, recall, false-positive rate and p99 latency of a score. */
export function quality(score: DetectorScore): DetectorQuality {
  const flagged = score.truePositives + score.falsePositives;
  return {
    precision: flagged === 0 ? undefined : score.truePositives / flagged,
    recall: score.labels === 0 ? undefined : score.detected / score.labels,
    fpr: score.negativePairs === 0 ? undefined : score.falsePositivePairs / score.negativePairs,
    alert_latency_p99_s: percentile(score.latenciesS, 99),
  };
}
