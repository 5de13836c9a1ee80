import { type Admin, AssignerProtocol } from 'kafkajs';
import type { AdminPort, GroupDescription, NewTopic } from '../../runtime/kafka/client-port.js';
import { waitForLeaders } from './topic-leaders.js';

/**
 * Offset lookup errors that pass: a topic created a moment ago is not in every broker's metadata yet,
 * and a broker answers "not the leader" for a while after leadership or metadata changed.
 */
const OFFSETS_NOT_YET = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
]);

/** The {@link AdminPort} on a kafkajs admin client. */
export class KafkajsAdmin implements AdminPort {
  constructor(private readonly admin: Admin) {}

  connect(): Promise<void> {
    return this.admin.connect();
  }

  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      // Resolves false (no error) when another instance created some of them in the meantime.
      await this.admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor ?? -1,
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    // Existing topics too: another instance may have created them a moment ago, before their
    // partitions had leaders (offset lookups then fail with "not the leader").
    await waitForLeaders(
      this.admin,
      topics.map((t) => t.topic),
    );
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = topics.filter((t) => existing.has(t));
    const counts = new Map<string, number>();
    if (wanted.length === 0) return counts;
    const meta = await this.admin.fetchTopicMetadata({ topics: wanted });
    for (const t of meta.topics) counts.set(t.name, t.partitions.length);
    return counts;
  }

  async endOffsets(topic: string): Promise<Map<number, number>> {
    // A topic created a moment ago may not have reached every broker's metadata yet.
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (attempt >= 20 || !OFFSETS_NOT_YET.has(type ?? '')) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const [entry] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    const out = new Map<number, number>();
    for (const p of entry?.partitions ?? [])
      if (Number(p.offset) >= 0) out.set(p.partition, Number(p.offset));
    return out;
  }

  async deleteRecordsBefore(topic: string, offsets: ReadonlyMap<number, number>): Promise<void> {
    if (offsets.size === 0) return;
    await this.admin.deleteTopicRecords({
      topic,
      partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: String(offset) })),
    });
  }

  // Interactive queries: members' "host:port" travel in their protocol metadata's userData.
  async describeGroup(groupId: string): Promise<GroupDescription> {
    const { groups } = await this.admin.describeGroups([groupId]);
    const group = groups[0];
    return {
      state: group?.state ?? 'Dead',
      members: (group?.members ?? []).map((m) => {
        const meta =
          m.memberMetadata.length > 0 ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata) : null;
        const assigned =
          m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
        const server = meta?.userData.toString('utf8');
        return {
          memberId: m.memberId,
          applicationServer: server ? server : undefined,
          assignment: new Map(Object.entries(assigned?.assignment ?? {})),
        };
      }),
    };
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}
