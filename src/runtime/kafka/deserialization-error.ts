import { TributaryError } from '../errors.js';

/** A deserialization failed and the deserialization-error policy is 'fail'. */
export class DeserializationError extends TributaryError {
  override readonly name = 'DeserializationError';
  constructor(
    message: string,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
