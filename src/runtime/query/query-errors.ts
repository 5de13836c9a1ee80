import { TributaryError } from '../errors.js';

/** Why a store cannot answer right now. */
export type StoreUnavailableReason = 'not-started' | 'rebalancing' | 'restoring' | 'not-running';

/**
 * A store cannot be read right now. `retriable` is true while the app rebalances or restores the
 * store from its changelog: ask again shortly (the store may then live on another instance, so
 * ask `queryMetadataForKey` again too). Otherwise the app has not started or has stopped.
 */
export class StoreUnavailableError extends TributaryError {
  override readonly name = 'StoreUnavailableError';
  constructor(
    message: string,
    readonly store: string,
    readonly reason: StoreUnavailableReason,
  ) {
    super(message);
  }

  /** True when asking again later can succeed without anyone doing anything. */
  get retriable(): boolean {
    return this.reason === 'rebalancing' || this.reason === 'restoring';
  }
}

/** The topology has no store of that name. The message lists the stores it has. */
export class UnknownStoreError extends TributaryError {
  override readonly name = 'UnknownStoreError';
  constructor(
    readonly store: string,
    readonly knownStores: readonly string[],
  ) {
    super(
      `No state store "${store}" in this topology. Known stores: ${
        knownStores.length > 0 ? knownStores.map((s) => `"${s}"`).join(', ') : '(none)'
      }. Name a store in the DSL (e.g. count({ name })) to query it.`,
    );
  }
}
