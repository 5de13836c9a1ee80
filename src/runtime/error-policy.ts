/** What to do with a record that failed: stop the app, drop it (counted), or send it to a dead-letter topic. */
export type ErrorAction = 'fail' | 'skip' | 'dead-letter';

/**
 * The three error doors. Each defaults to 'fail', the only choice that never loses a record
 * without the user having asked for it.
 */
export interface ErrorPolicies {
  /** A record's bytes could not be turned into a key/value (Kafka sources). */
  deserialization?: ErrorAction;
  /** An operator threw while processing a record. */
  processing?: ErrorAction;
  /** A sink could not write a record. */
  production?: ErrorAction;
  /** Topic that receives dead letters; required when any door is 'dead-letter'. Default "<applicationId>-dead-letters". */
  deadLetterTopic?: string;
}

/** Header names a dead-letter record carries. */
export const DEAD_LETTER_HEADERS = {
  error: 'tributary.error.message',
  errorClass: 'tributary.error.class',
  door: 'tributary.error.door',
  node: 'tributary.error.node',
  topic: 'tributary.source.topic',
  partition: 'tributary.source.partition',
  offset: 'tributary.source.offset',
  timestamp: 'tributary.source.timestamp',
} as const;
