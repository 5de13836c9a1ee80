/**
 * Serdes turn keys and values into bytes and back at the edges (Kafka topics, changelogs).
 * A Serde is synchronous; an AsyncSerde (e.g. Avro with a schema registry, which may call the
 * registry) is awaited once per batch by the connectors, never per record on the hot path.
 */

export interface Serde<T> {
  serialize(value: T, topic: string): Buffer | null;
  deserialize(data: Buffer | null, topic: string): T;
}

/** A serde that may need I/O (e.g. a schema registry); awaited once per batch, never per record. */
export interface AsyncSerde<T> {
  serialize(value: T, topic: string): Promise<Buffer | null>;
  deserialize(data: Buffer | null, topic: string): Promise<T>;
}

/** Either kind of serde: connectors accept both. */
export type AnySerde<T> = Serde<T> | AsyncSerde<T>;

/**
 * UTF-8 strings. Typed for the common case of string keys and values; a null (a Kafka record with no
 * key, or a tombstone) passes through as null.
 */
export const stringSerde: Serde<string> = {
  serialize: (value) => (value === null || value === undefined ? null : Buffer.from(value, 'utf8')),
  deserialize: (data) => (data === null ? (null as unknown as string) : data.toString('utf8')),
};

/** Raw bytes, passed through. */
export const bytesSerde: Serde<Buffer | null> = {
  serialize: (value) => value,
  deserialize: (data) => data,
};

/** JSON text in UTF-8. Throws a SyntaxError naming the topic when the bytes are not JSON. */
export function jsonSerde<T>(): Serde<T> {
  return {
    serialize: (value) =>
      value === null || value === undefined ? null : Buffer.from(JSON.stringify(value), 'utf8'),
    deserialize: (data, topic) => {
      if (data === null) return null as T;
      try {
        return JSON.parse(data.toString('utf8')) as T;
      } catch (error) {
        throw new SyntaxError(`record from topic "${topic}" is not valid JSON: ${(error as Error).message}`);
      }
    },
  };
}

/** Builds a Serde from two functions (for custom formats). */
export function customSerde<T>(
  serialize: (value: T, topic: string) => Buffer | null,
  deserialize: (data: Buffer | null, topic: string) => T,
): Serde<T> {
  return { serialize, deserialize };
}
