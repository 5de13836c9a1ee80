/**
 * A merging t-digest (Dunning & Ertl, "Computing extremely accurate quantiles using t-digests", 2019)
 * kept as plain data, so that stores and changelogs can persist it.
 *
 * Why a t-digest and not an HDR histogram: window aggregates keep one digest per key and window, so
 * size matters. A t-digest of compression 100 holds at most ~100 centroids (under 2 KiB) whatever the
 * values' range or sign, and its error is small in rank, smallest at the tails (p99, p99.9) that
 * monitoring cares about. An HDR histogram needs the value range up front and, for 3 significant
 * digits over microseconds to minutes, tens of KiB of counts per digest.
 *
 * Values are first appended to `buffer` (at most 5 × compression of them); when it is full they are
 * sorted and merged into the centroids. Centroid sizes follow the k1 scale function
 * k(q) = compression / (2π) · asin(2q − 1): a centroid spans at most one unit of k, so centroids are
 * small near q = 0 and q = 1. Plain number arrays rather than Float64Array: msgpackr's default `pack`
 * mangles every typed array except Uint8Array.
 */

/** The state of a t-digest. Plain data; `means` and `weights` are sorted by mean. */
export interface TDigestState {
  /** The compression δ: about δ centroids at most; larger is more accurate and larger. */
  compression: number;
  /** How many values went in (merged and buffered). */
  count: number;
  /** The smallest value seen; meaningless while `count` is 0. */
  min: number;
  /** The largest value seen; meaningless while `count` is 0. */
  max: number;
  /** Centroid means, ascending. */
  means: number[];
  /** Centroid weights (how many values each centroid stands for), parallel to `means`. */
  weights: number[];
  /** Values not yet merged into the centroids. */
  buffer: number[];
}

/** The compression used when none is given. */
export const DEFAULT_COMPRESSION = 100;
/** The smallest compression accepted. */
export const MIN_COMPRESSION = 10;
/** The largest compression accepted (about 10 000 centroids, 160 KiB). */
export const MAX_COMPRESSION = 10_000;
const BUFFER_FACTOR = 5;

// Scratch space shared by all digests: the hot path is synchronous, so one set is enough.
let sortScratch = new Float64Array(1024);
let outMeans = new Float64Array(1024);
let outWeights = new Float64Array(1024);

/** An empty digest. */
export function createTDigest(compression: number = DEFAULT_COMPRESSION): TDigestState {
  return { compression, count: 0, min: 0, max: 0, means: [], weights: [], buffer: [] };
}

/** Adds one finite value. Allocation-free except when the buffer array grows or is merged. */
export function addValue(digest: TDigestState, value: number): void {
  if (digest.count === 0) {
    digest.min = value;
    digest.max = value;
  } else if (value < digest.min) digest.min = value;
  else if (value > digest.max) digest.max = value;
  digest.count += 1;
  const buffer = digest.buffer;
  buffer.push(value);
  if (buffer.length >= digest.compression * BUFFER_FACTOR) compress(digest);
}

/** Merges the buffered values into the centroids. */
export function compress(digest: TDigestState): void {
  if (digest.buffer.length === 0) return;
  const n = mergeBufferInto(digest);
  copyOut(digest, n);
  digest.buffer.length = 0;
}

/** Folds `source` into `target` (mutating `target` only): a digest of both inputs. */
export function mergeDigests(target: TDigestState, source: TDigestState): void {
  if (source.count === 0) return;
  for (let i = 0; i < source.buffer.length; i++) addValue(target, source.buffer[i] as number);
  const centroids = source.means.length;
  if (centroids === 0) return;
  compress(target);
  let sourceWeight = 0;
  for (let i = 0; i < centroids; i++) sourceWeight += source.weights[i] as number;
  if (target.count === 0) {
    target.min = source.min;
    target.max = source.max;
  } else {
    if (source.min < target.min) target.min = source.min;
    if (source.max > target.max) target.max = source.max;
  }
  target.count += sourceWeight;
  const n = cluster(
    target.means,
    target.weights,
    target.means.length,
    source.means,
    source.weights,
    centroids,
    target.count,
    target.compression,
  );
  copyOut(target, n);
}

/**
 * Estimates the quantiles `qs` (each in [0, 1]) into `out[0..qs.length)`, without changing the digest.
 * Returns false (and writes nothing) when the digest is empty.
 */
export function estimateQuantiles(digest: TDigestState, qs: readonly number[], out: number[]): boolean {
  if (digest.count === 0) return false;
  if (digest.buffer.length === 0) {
    const n = digest.means.length;
    for (let i = 0; i < qs.length; i++) {
      out[i] = quantileOf(digest.means, digest.weights, n, digest, qs[i] as number);
    }
  } else {
    const n = mergeBufferInto(digest);
    for (let i = 0; i < qs.length; i++) out[i] = quantileOf(outMeans, outWeights, n, digest, qs[i] as number);
  }
  return true;
}

// Sorts the buffer into scratch and clusters it with the centroids into outMeans/outWeights.
function mergeBufferInto(digest: TDigestState): number {
  const buffer = digest.buffer;
  const size = buffer.length;
  if (sortScratch.length < size) sortScratch = new Float64Array(nextPowerOfTwo(size));
  for (let i = 0; i < size; i++) sortScratch[i] = buffer[i] as number;
  const sorted = sortScratch.subarray(0, size).sort();
  return cluster(
    digest.means,
    digest.weights,
    digest.means.length,
    sorted,
    null,
    size,
    digest.count,
    digest.compression,
  );
}

function copyOut(digest: TDigestState, n: number): void {
  const means = digest.means;
  const weights = digest.weights;
  for (let i = 0; i < n; i++) {
    means[i] = outMeans[i] as number;
    weights[i] = outWeights[i] as number;
  }
  means.length = n;
  weights.length = n;
}

/**
 * Merges two mean-sorted lists (weights `null` = every weight 1) into centroids that each span at most
 * one unit of k, written to outMeans/outWeights. Returns how many there are.
 */
function cluster(
  aMeans: ArrayLike<number>,
  aWeights: ArrayLike<number> | null,
  aSize: number,
  bMeans: ArrayLike<number>,
  bWeights: ArrayLike<number> | null,
  bSize: number,
  total: number,
  compression: number,
): number {
  const capacity = aSize + bSize;
  if (outMeans.length < capacity) {
    outMeans = new Float64Array(nextPowerOfTwo(capacity));
    outWeights = new Float64Array(outMeans.length);
  }
  let i = 0;
  let j = 0;
  let n = 0;
  let mean = 0;
  let weight = 0;
  let before = 0; // total weight of the centroids already written
  let limit = total * nextQuantileLimit(0, compression);
  while (i < aSize || j < bSize) {
    let m: number;
    let w: number;
    if (j >= bSize || (i < aSize && (aMeans[i] as number) <= (bMeans[j] as number))) {
      m = aMeans[i] as number;
      w = aWeights === null ? 1 : (aWeights[i] as number);
      i++;
    } else {
      m = bMeans[j] as number;
      w = bWeights === null ? 1 : (bWeights[j] as number);
      j++;
    }
    if (weight === 0) {
      mean = m;
      weight = w;
    } else if (before + weight + w <= limit) {
      weight += w;
      mean += ((m - mean) * w) / weight;
    } else {
      outMeans[n] = mean;
      outWeights[n] = weight;
      n++;
      before += weight;
      limit = total * nextQuantileLimit(before / total, compression);
      mean = m;
      weight = w;
    }
  }
  if (weight > 0) {
    outMeans[n] = mean;
    outWeights[n] = weight;
    n++;
  }
  return n;
}

// The quantile one unit of k to the right of q: k1⁻¹(k1(q) + 1), capped at 1.
function nextQuantileLimit(q: number, compression: number): number {
  const k = (compression / (2 * Math.PI)) * Math.asin(2 * Math.min(1, q) - 1) + 1;
  const angle = (2 * Math.PI * k) / compression;
  return angle >= Math.PI / 2 ? 1 : (Math.sin(angle) + 1) / 2;
}

/**
 * The value at quantile q. Each centroid's weight is taken as spread around its mean, half on each
 * side; between two centroid means the value is interpolated linearly; a centroid of weight 1 is an
 * exact sample; beyond the outer means, interpolation runs to the exact min and max.
 */
function quantileOf(
  means: ArrayLike<number>,
  weights: ArrayLike<number>,
  n: number,
  digest: TDigestState,
  q: number,
): number {
  const { min, max, count: total } = digest;
  if (n === 1) return min + q * (max - min);
  const index = q * total;
  if (index < 1) return min;
  if (index > total - 1) return max;
  const firstWeight = weights[0] as number;
  const firstMean = means[0] as number;
  if (firstWeight > 2 && index < firstWeight / 2) {
    return min + ((index - 1) / (firstWeight / 2 - 1)) * (firstMean - min);
  }
  const lastWeight = weights[n - 1] as number;
  const lastMean = means[n - 1] as number;
  if (lastWeight > 2 && total - index < lastWeight / 2) {
    return max - ((total - index - 1) / (lastWeight / 2 - 1)) * (max - lastMean);
  }
  let before = firstWeight / 2;
  for (let i = 0; i < n - 1; i++) {
    const leftWeight = weights[i] as number;
    const rightWeight = weights[i + 1] as number;
    const gap = (leftWeight + rightWeight) / 2;
    if (before + gap > index) {
      const leftMean = means[i] as number;
      const rightMean = means[i + 1] as number;
      let leftSingleton = 0;
      if (leftWeight === 1) {
        if (index - before < 0.5) return leftMean;
        leftSingleton = 0.5;
      }
      let rightSingleton = 0;
      if (rightWeight === 1) {
        if (before + gap - index <= 0.5) return rightMean;
        rightSingleton = 0.5;
      }
      const toLeft = index - before - leftSingleton;
      const toRight = before + gap - index - rightSingleton;
      const span = toLeft + toRight;
      return span <= 0 ? leftMean : (leftMean * toRight + rightMean * toLeft) / span;
    }
    before += gap;
  }
  return lastMean;
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, n)));
}
