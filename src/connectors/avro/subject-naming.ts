/**
 * Subject naming strategies: under which registry subject a topic's key or value schema is
 * registered. The same three Confluent serializers offer, with the same results.
 */

/** What a strategy decides from. */
export interface SubjectContext {
  readonly topic: string;
  /** True for the record key's schema, false for the value's. */
  readonly isKey: boolean;
  /** Full name of the Avro record (`namespace.name`). */
  readonly recordName: string;
}

/** Maps a topic, key/value side and record name to a subject. */
export type SubjectNameStrategy = (context: SubjectContext) => string;

/** `<topic>-key` / `<topic>-value`: one schema lineage per topic (the Confluent default). */
export const topicNameStrategy: SubjectNameStrategy = ({ topic, isKey }) =>
  `${topic}-${isKey ? 'key' : 'value'}`;

/** `<record full name>`: one lineage per record type, shared by every topic carrying it. */
export const recordNameStrategy: SubjectNameStrategy = ({ recordName }) => recordName;

/** `<topic>-<record full name>`: several record types per topic, each with its own lineage. */
export const topicRecordNameStrategy: SubjectNameStrategy = ({ topic, recordName }) =>
  `${topic}-${recordName}`;

/** Names accepted wherever a strategy is configured. */
export type SubjectNameStrategyName = 'topic' | 'record' | 'topic-record';

/** The strategy for a name, or the given function. */
export function subjectNameStrategy(
  choice: SubjectNameStrategyName | SubjectNameStrategy,
): SubjectNameStrategy {
  if (typeof choice === 'function') return choice;
  switch (choice) {
    case 'topic':
      return topicNameStrategy;
    case 'record':
      return recordNameStrategy;
    case 'topic-record':
      return topicRecordNameStrategy;
    default:
      throw new TypeError(
        `unknown subject name strategy "${String(choice)}": use 'topic', 'record', 'topic-record' or a function`,
      );
  }
}
