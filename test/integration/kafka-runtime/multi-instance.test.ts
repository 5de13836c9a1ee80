/**
 * Three instances (child processes) of one app share a 6-partition topic through the consumer
 * group: each gets tasks, and together they produce exactly the counts one instance would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { brokers, testKafka, uniqueName } from '../../helpers/kafka.js';
import { type ChildApp, startChildApp } from './child-app.js';
import { createTopic, produce, readTopic, recentBase } from './kafka-test-io.js';

/** Waits until the group is stable with `members` members, each assigned something; returns partitions per member. */
async function waitForStableGroup(groupId: string, members: number): Promise<number[]> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    for (let i = 0; i < 150; i++) {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0]!;
      if (group.state === 'Stable' && group.members.length === members) {
        const counts = group.members.map((m) => {
          const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
          return Object.values(decoded?.assignment ?? {}).reduce((n, ps) => n + ps.length, 0);
        });
        if (counts.every((c) => c > 0)) return counts;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`group ${groupId} never became stable with ${members} members`);
  } finally {
    await admin.disconnect();
  }
}

describe('StreamsApp on Kafka: several instances', () => {
  it('three instances split a 6-partition topic and count exactly as one would', async () => {
    const input = await createTopic('events', 6);
    const output = uniqueName('event-counts');
    const applicationId = uniqueName('multi');
    const env = {
      BROKERS: brokers().join(','),
      INPUT: input,
      OUTPUT: output,
      APP_ID: applicationId,
      MODE: 'count',
    };
    const children: ChildApp[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const child = startChildApp({
          ...env,
          STATE_DIR: mkdtempSync(join(tmpdir(), `tributary-multi-${i}-`)),
        });
        children.push(child);
        await child.waitForState('RUNNING');
      }
      const perMember = await waitForStableGroup(applicationId, 3);
      expect(perMember.reduce((a, b) => a + b, 0)).toBe(6);

      const base = recentBase();
      const keys = 30;
      const total = 3000;
      await produce(
        input,
        Array.from({ length: total }, (_, i) => ({
          key: `host-${i % keys}`,
          value: 'x',
          timestamp: base + i,
        })),
      );
      const last = new Map<string, number>();
      await readTopic(
        output,
        (rs) => {
          const r = rs[rs.length - 1]!;
          last.set(r.key!, JSON.parse(r.value!) as number);
          return last.size === keys && [...last.values()].every((v) => v >= total / keys);
        },
        60_000,
      );
      expect(new Map([...last].sort())).toEqual(
        new Map(Array.from({ length: keys }, (_, i) => [`host-${i}`, total / keys] as const).sort()),
      );
    } finally {
      for (const child of children) child.process.kill('SIGTERM');
      const exits = await Promise.all(children.map((c) => c.exited));
      expect(exits).toEqual([0, 0, 0]);
    }
  }, 150_000);
});
