/** Header values as they travel with a record (Kafka headers are bytes; strings are accepted for convenience). */
export type RecordHeaders = Record<string, string | Buffer>;

/** Where a record was read from: set by log-backed sources (Kafka or the embedded log). */
export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * One record flowing through a topology. `timestamp` is event time in epoch milliseconds.
 * Operators create new records rather than mutating the one they received, so a record
 * forwarded to two children is safe to hold on to.
 */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers?: RecordHeaders | undefined;
  readonly origin?: RecordOrigin | undefined;
}

/** A time window: `start` inclusive, `end` exclusive, both epoch milliseconds. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** The key of a windowed aggregate: the grouping key plus the window it belongs to. */
export interface Windowed<K> {
  readonly key: K;
  readonly window: TimeWindow;
}

/** A key and value pair as returned by state store iterators. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}
