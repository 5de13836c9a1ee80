import type { Admin } from 'kafkajs';

/** Metadata errors that only mean "this broker has not learned the new topic or its leader yet". */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Waits until every partition of `topics` has a leader. On a cluster of several nodes a topic created
 * a moment ago is unknown to some brokers for a while; kafkajs' own wait (createTopics'
 * waitForLeaders) gives up on the first "unknown topic" answer, so this one asks again until
 * `timeoutMs` has passed, then fails naming the topics still without leaders.
 */
export async function waitForLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = [...topics];
  let last = '';
  while (waiting.length > 0) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: waiting });
      const led = new Set(
        meta.topics
          .filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
          .map((t) => t.name),
      );
      waiting = waiting.filter((t) => !led.has(t));
      last = 'partitions without a leader';
    } catch (error) {
      const type = (error as { type?: string }).type ?? '';
      if (!NOT_YET.has(type)) throw error;
      last = type;
    }
    if (waiting.length === 0) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `Topics ${waiting.join(', ')} have no leader ${timeoutMs / 1000} s after they were created (${last}). ` +
          'Check that the brokers are up and can host them (replication factor, brokers alive).',
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
