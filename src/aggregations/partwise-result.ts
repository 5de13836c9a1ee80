import type { Aggregator } from './aggregator.js';

type Row = Record<string, unknown>;
type Part<V> = Aggregator<V, unknown, unknown>;

/**
 * The `result` of a combined aggregator: a new row with each part's result under the part's name.
 *
 * Runs once per emitted update, so it is built for speed: every row starts as a copy of one template
 * with all the names (a copy of a fixed shape is one fast step, and every row shares that shape, so
 * the code reading results downstream sees a single shape), and the first six parts are filled at
 * their own sites, each with one name and one function, as in partwise-add.ts.
 */
export function partwiseResult<V>(names: readonly string[], parts: readonly Part<V>[]): (acc: Row) => Row {
  const template = rowTemplate(names);
  const size = names.length;
  const [n0 = '', n1 = '', n2 = '', n3 = '', n4 = '', n5 = ''] = names;
  const [p0, p1, p2, p3, p4, p5] = parts as (Part<V> | undefined)[];
  return (acc) => {
    const out: Row = { ...template };
    if (size === 0) return out;
    out[n0] = p0!.result(acc[n0]);
    if (size === 1) return out;
    out[n1] = p1!.result(acc[n1]);
    if (size === 2) return out;
    out[n2] = p2!.result(acc[n2]);
    if (size === 3) return out;
    out[n3] = p3!.result(acc[n3]);
    if (size === 4) return out;
    out[n4] = p4!.result(acc[n4]);
    if (size === 5) return out;
    out[n5] = p5!.result(acc[n5]);
    for (let i = 6; i < size; i++) {
      const name = names[i]!;
      out[name] = parts[i]!.result(acc[name]);
    }
    return out;
  };
}

/** The `init` of a combined aggregator: a row of every part's fresh accumulator, on the template's shape. */
export function partwiseInit<V>(names: readonly string[], parts: readonly Part<V>[]): () => Row {
  const template = rowTemplate(names);
  return () => {
    const acc: Row = { ...template };
    for (let i = 0; i < names.length; i++) acc[names[i]!] = parts[i]!.init();
    return acc;
  };
}

/** An object with every name, in order, for rows to be copied from. */
function rowTemplate(names: readonly string[]): Row {
  const template: Row = {};
  for (const name of names) template[name] = null;
  return template;
}
