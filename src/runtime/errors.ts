import type { RecordOrigin } from './record.js';

/** Base class of every error tributary throws on purpose. */
export class TributaryError extends Error {
  override readonly name: string = 'TributaryError';
}

/** The topology is not valid; `node` names the node at fault. */
export class TopologyError extends TributaryError {
  override readonly name = 'TopologyError';
  constructor(
    message: string,
    readonly node?: string,
  ) {
    super(message);
  }
}

/** An operator threw while processing a record; carries the record's origin and key. */
export class ProcessingError extends TributaryError {
  override readonly name = 'ProcessingError';
  constructor(
    message: string,
    readonly node: string,
    readonly origin: RecordOrigin | undefined,
    readonly key: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A sink connector failed and the production-error policy is 'fail'. */
export class ProductionError extends TributaryError {
  override readonly name = 'ProductionError';
  constructor(
    message: string,
    readonly sink: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
