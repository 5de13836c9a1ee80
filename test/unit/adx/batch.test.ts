import { describe, expect, it } from 'vitest';
import { BatchBuilder, DEDUP_TAG_PREFIX, uuidFromDigest } from '../../../src/connectors/adx/batch.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function sealed(target: string, lines: string[], origins: Array<number | undefined> = []) {
  const builder = new BatchBuilder(target);
  lines.forEach((line, i) => {
    const offset = origins[i];
    const origin = offset === undefined ? undefined : { topic: 't', partition: 0, offset };
    builder.add({ line }, line, Buffer.byteLength(line), origin, 1000 + i);
  });
  return builder.seal();
}

describe('BatchBuilder', () => {
  it('counts rows and payload bytes (line breaks included) and remembers when it opened', () => {
    const builder = new BatchBuilder('db\0t');
    expect(builder.rowCount).toBe(0);
    builder.add({ a: 1 }, '{"a":1}', 7, undefined, 5000);
    builder.add({ a: 'é' }, '{"a":"é"}', 10, undefined, 6000);
    expect(builder.rowCount).toBe(2);
    expect(builder.bytes).toBe(19);
    expect(builder.openedAtMs).toBe(5000);
    const batch = builder.seal();
    expect(batch.payload.toString('utf8')).toBe('{"a":1}\n{"a":"é"}\n');
    expect(batch.payload.length).toBe(19);
    expect(batch.rows).toEqual([{ a: 1 }, { a: 'é' }]);
    expect(builder.rowCount).toBe(0);
    expect(builder.bytes).toBe(0);
    expect(builder.openedAtMs).toBe(0);
  });

  it('gives identical content the same id and tag, across builder instances', () => {
    const a = sealed('NetMon\0PacketStats', ['x', 'y'], [1, 2]);
    const b = sealed('NetMon\0PacketStats', ['x', 'y'], [1, 2]);
    expect(a.id).toBe(b.id);
    expect(a.tag).toBe(b.tag);
    expect(a.id).toMatch(UUID_V4);
    expect(a.tag).toMatch(new RegExp(`^${DEDUP_TAG_PREFIX}[0-9a-f]{32}$`));
  });

  it('changes the identity when rows, their order, their offsets or the target differ', () => {
    const base = sealed('NetMon\0PacketStats', ['x', 'y'], [1, 2]);
    const variants = [
      sealed('NetMon\0PacketStats', ['x', 'z'], [1, 2]),
      sealed('NetMon\0PacketStats', ['y', 'x'], [1, 2]),
      sealed('NetMon\0PacketStats', ['x', 'y'], [3, 4]),
      sealed('NetMon\0PacketStats', ['x', 'y']),
      sealed('NetMon\0Alerts', ['x', 'y'], [1, 2]),
      // Line boundaries count: "x","y" is not "xy".
      sealed('NetMon\0PacketStats', ['xy']),
    ];
    for (const v of variants) {
      expect(v.id).not.toBe(base.id);
      expect(v.tag).not.toBe(base.tag);
    }
  });

  it('refuses to seal an empty batch', () => {
    expect(() => new BatchBuilder('t').seal()).toThrow('empty batch');
  });

  it('shapes any digest as an RFC 4122 version-4 UUID', () => {
    expect(uuidFromDigest(Buffer.alloc(32, 0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidFromDigest(Buffer.alloc(32, 0))).toBe('00000000-0000-4000-8000-000000000000');
  });
});
