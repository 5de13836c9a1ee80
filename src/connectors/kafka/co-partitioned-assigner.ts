import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * A kafkajs partition assigner that keeps co-partitioned topics together: every partition number
 * of a co-partition group (the topics one sub-topology reads) goes to one member, so a task
 * ("<subtopology>_<partition>") sees all of its inputs. Tasks are spread round-robin over the
 * members sorted by id, so every member computes the same plan.
 */
export function coPartitionedAssigner(
  groupOf: (topic: string) => string,
  // Interactive queries: this member's "host:port", read back by others through describeGroups.
  applicationServer?: string,
): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'TributaryCoPartitioned',
    version: 1,
    async assign({ members, topics }) {
      const sortedMembers = members.map((m) => m.memberId).sort();
      const tasks = new Map<string, { topic: string; partition: number }[]>();
      for (const topic of topics) {
        for (const meta of cluster.findTopicPartitionMetadata(topic)) {
          const task = `${groupOf(topic)}\u0000${String(meta.partitionId).padStart(6, '0')}`;
          const list = tasks.get(task) ?? [];
          list.push({ topic, partition: meta.partitionId });
          tasks.set(task, list);
        }
      }
      const plan = new Map<string, Record<string, number[]>>();
      for (const id of sortedMembers) plan.set(id, {});
      [...tasks.keys()].sort().forEach((task, i) => {
        const assignment = plan.get(sortedMembers[i % sortedMembers.length]!)!;
        for (const { topic, partition } of tasks.get(task)!) {
          const partitions = assignment[topic] ?? [];
          partitions.push(partition);
          assignment[topic] = partitions;
        }
      });
      return [...plan].map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: 'TributaryCoPartitioned',
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.from(applicationServer ?? '', 'utf8'),
        }),
      };
    },
  });
}
