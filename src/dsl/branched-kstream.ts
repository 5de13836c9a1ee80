import { BranchProcessor, type BranchRoute } from '../operators/branch.js';
import { PassThroughProcessor } from '../operators/pass-through.js';
import type { BuilderContext } from './builder-context.js';
import { type BranchedStreams, KStream } from './kstream.js';

/**
 * The builder returned by {@link KStream.split}: add named branches, then finish with
 * `defaultBranch(name)` or `noDefaultBranch()` to get the streams by name (typed).
 */
export class BranchedKStream<K, V, Names extends string> {
  private readonly routes: Array<BranchRoute<K, V> & { name: string }> = [];

  /** @internal */
  constructor(
    private readonly ctx: BuilderContext,
    private readonly parent: string,
    private readonly base: string,
    private readonly keyChanged: boolean,
  ) {}

  /** Adds a branch for records matching `predicate` (first match wins). */
  branch<N extends string>(
    name: N,
    predicate: (key: K, value: V) => boolean,
  ): BranchedKStream<K, V, Names | N> {
    if (this.routes.some((r) => r.name === name))
      throw new Error(`split(${this.base}): branch "${name}" is defined twice`);
    this.routes.push({ name, predicate, child: `${this.base}-${name}` });
    return this as unknown as BranchedKStream<K, V, Names | N>;
  }

  /** Finishes with a default branch for records no predicate matched. */
  defaultBranch<D extends string = 'default'>(name?: D): BranchedStreams<Names | D, K, V> {
    return this.finish<D>((name ?? 'default') as D);
  }

  /** Finishes without a default branch: unmatched records are dropped and counted. */
  noDefaultBranch(): BranchedStreams<Names, K, V> {
    return this.finish<never>(undefined);
  }

  private finish<D extends string>(defaultName: D | undefined): BranchedStreams<Names | D, K, V> {
    const routes = this.routes.map(({ predicate, child }) => ({ predicate, child }));
    const defaultChild = defaultName === undefined ? undefined : `${this.base}-${defaultName}`;
    const names = [...this.routes.map((r) => r.name), ...(defaultName === undefined ? [] : [defaultName])];
    this.ctx.topology.addProcessor(
      this.base,
      () => new BranchProcessor<K, V>(routes, defaultChild),
      this.parent,
      {
        label: `split [${names.join(', ')}]`,
      },
    );
    const out: Record<string, KStream<K, V>> = {};
    for (const name of names) {
      const child = `${this.base}-${name}`;
      this.ctx.topology.addProcessor(child, () => new PassThroughProcessor<K, V>(), this.base, {
        passThrough: true,
        label: `branch ${name}`,
      });
      out[name] = new KStream<K, V>(this.ctx, child, this.keyChanged);
    }
    return out as BranchedStreams<Names | D, K, V>;
  }
}
