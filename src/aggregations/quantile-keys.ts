import { TributaryError } from '../runtime/errors.js';

// "05" -> "5", "00" -> "0", "95" -> "95".
type WithoutLeadingZero<S extends string> = S extends `0${infer Rest}` ? (Rest extends '' ? '0' : Rest) : S;

// The digits after "0." of a quantile -> its percentile key: "5" -> p50, "999" -> p99_9, "001" -> p0_1.
type FractionKey<F extends string> = F extends `${infer A}${infer B}${infer Rest}`
  ? `p${WithoutLeadingZero<`${A}${B}`>}${Rest extends '' ? '' : `_${Rest}`}`
  : `p${F}0`;

/**
 * The result key of a quantile literal: 0.5 → `p50`, 0.95 → `p95`, 0.999 → `p99_9`, 0.001 → `p0_1`,
 * 0 → `p0`, 1 → `p100`. A non-literal `number` gives `string`.
 */
export type QuantileKey<Q extends number> = number extends Q
  ? string
  : `${Q}` extends '0'
    ? 'p0'
    : `${Q}` extends '1'
      ? 'p100'
      : `${Q}` extends `0.${infer F}`
        ? FractionKey<F>
        : never;

/** The result object of a list of quantiles: one number per quantile, named by {@link QuantileKey}. */
export type QuantileResult<Qs extends readonly number[]> = { [Q in Qs[number] as QuantileKey<Q>]: number };

/**
 * The result key of quantile `q`, computed the same way as {@link QuantileKey} from `String(q)`.
 * Throws when q is outside [0, 1] or has no decimal spelling (such as 1e-7).
 */
export function quantileKey(q: number): string {
  if (!(q >= 0 && q <= 1)) {
    throw new TributaryError(
      `percentiles: quantile ${q} is outside [0, 1]; write 0.99 for the 99th percentile.`,
    );
  }
  const text = String(q);
  if (text === '0') return 'p0';
  if (text === '1') return 'p100';
  const match = /^0\.(\d+)$/.exec(text);
  if (match === null) {
    throw new TributaryError(
      `percentiles: quantile ${text} cannot be named as a key; use a decimal such as 0.001 or larger.`,
    );
  }
  const fraction = match[1] as string;
  if (fraction.length === 1) return `p${fraction}0`;
  const head = fraction.slice(0, 2);
  const rest = fraction.slice(2);
  return `p${head[0] === '0' ? head.slice(1) : head}${rest === '' ? '' : `_${rest}`}`;
}
