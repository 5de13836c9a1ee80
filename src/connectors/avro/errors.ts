import { TributaryError } from '../../runtime/errors.js';

/**
 * An Avro serde could not encode or decode a record: wrong wire format, a schema id the registry
 * does not know, bytes that do not decode, a value that does not match its schema, or a registry
 * that refused or could not be reached. The Kafka runtime sends failed decodes to the
 * deserialization error door and failed encodes to the production error door.
 */
export class AvroSerdeError extends TributaryError {
  override readonly name = 'AvroSerdeError';
  constructor(
    message: string,
    /** Topic of the record. */
    readonly topic: string,
    /** Schema id from the record's header or the registry, when known. */
    readonly schemaId: number | undefined,
    /** Registry subject involved, when known. */
    readonly subject: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
