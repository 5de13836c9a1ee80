/** The partition assignor keeps a task's co-partitioned inputs on one member and spreads tasks evenly. */
import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { coPartitionedAssigner } from '../../../src/connectors/kafka/co-partitioned-assigner.js';

const groups: Record<string, string> = { clicks: '0', views: '0', 'app-by-user-repartition': '1' };

async function plan(memberIds: string[]) {
  const cluster = {
    findTopicPartitionMetadata: () => [0, 1, 2].map((partitionId) => ({ partitionId })),
  } as unknown as Cluster;
  const assigner = coPartitionedAssigner((topic) => groups[topic]!)({
    cluster,
    groupId: 'app',
    logger: {} as Logger,
  });
  const result = await assigner.assign({
    members: memberIds.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) })),
    topics: Object.keys(groups),
  });
  return new Map(
    result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment]),
  );
}

describe('coPartitionedAssigner', () => {
  it('gives partition p of co-partitioned topics to the same member, every partition exactly once', async () => {
    const assignment = await plan(['member-b', 'member-a']);
    const owners = new Map<string, string>();
    for (const [member, topics] of assignment) {
      for (const [topic, partitions] of Object.entries(topics)) {
        for (const p of partitions) {
          expect(owners.has(`${topic}:${p}`)).toBe(false);
          owners.set(`${topic}:${p}`, member);
        }
      }
    }
    expect(owners.size).toBe(9);
    for (const p of [0, 1, 2]) expect(owners.get(`clicks:${p}`)).toBe(owners.get(`views:${p}`));
    // 6 tasks (2 sub-topologies x 3 partitions) over 2 members: 3 each.
    const tasksOf = (member: string) =>
      new Set(
        [...owners]
          .filter(([, m]) => m === member)
          .map(([tp]) => `${groups[tp.split(':')[0]!]}_${tp.split(':')[1]}`),
      ).size;
    expect([tasksOf('member-a'), tasksOf('member-b')]).toEqual([3, 3]);
  });

  it('computes the same plan whatever order the members arrive in', async () => {
    const one = await plan(['x', 'y', 'z']);
    const other = await plan(['z', 'x', 'y']);
    expect(new Map([...other].sort())).toEqual(new Map([...one].sort()));
  });
});
