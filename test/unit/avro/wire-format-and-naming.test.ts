import { describe, expect, it } from 'vitest';
import {
  avroFullName,
  recordNameStrategy,
  subjectNameStrategy,
  topicNameStrategy,
  topicRecordNameStrategy,
} from '../../../src/connectors/avro/index.js';
import {
  readSchemaId,
  wireHeaderProblem,
  writeWireHeader,
} from '../../../src/connectors/avro/wire-format.js';

describe('subject naming strategies', () => {
  const value = { topic: 'network-packets', isKey: false, recordName: 'tributary.netmon.Packet' };
  const key = { ...value, isKey: true };

  it('TopicNameStrategy: <topic>-value and <topic>-key', () => {
    expect(topicNameStrategy(value)).toBe('network-packets-value');
    expect(topicNameStrategy(key)).toBe('network-packets-key');
  });

  it('RecordNameStrategy: the record full name, whatever the topic or side', () => {
    expect(recordNameStrategy(value)).toBe('tributary.netmon.Packet');
    expect(recordNameStrategy({ ...key, topic: 'other' })).toBe('tributary.netmon.Packet');
  });

  it('TopicRecordNameStrategy: <topic>-<record full name>', () => {
    expect(topicRecordNameStrategy(value)).toBe('network-packets-tributary.netmon.Packet');
  });

  it('resolves names and functions, and rejects unknown names with the accepted ones', () => {
    expect(subjectNameStrategy('topic')).toBe(topicNameStrategy);
    expect(subjectNameStrategy('record')).toBe(recordNameStrategy);
    expect(subjectNameStrategy('topic-record')).toBe(topicRecordNameStrategy);
    const custom = () => 'fixed';
    expect(subjectNameStrategy(custom)).toBe(custom);
    expect(() => subjectNameStrategy('TopicName' as never)).toThrow(
      /unknown subject name strategy "TopicName".*'topic'/,
    );
  });

  it('computes record full names from name and namespace', () => {
    expect(avroFullName({ type: 'record', name: 'Packet', namespace: 'a.b', fields: [] })).toBe('a.b.Packet');
    expect(avroFullName({ type: 'record', name: 'Packet', fields: [] })).toBe('Packet');
    expect(avroFullName({ type: 'record', name: 'x.y.Packet', namespace: 'ignored', fields: [] })).toBe(
      'x.y.Packet',
    );
  });
});

describe('Confluent wire header', () => {
  it('writes magic byte 0 and the id as a big-endian int32, and reads it back', () => {
    const buffer = Buffer.alloc(8);
    writeWireHeader(buffer, 0x01020304);
    expect([...buffer.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    expect(wireHeaderProblem(buffer)).toBeUndefined();
    expect(readSchemaId(buffer)).toBe(0x01020304);
  });

  it('explains short input and a wrong magic byte', () => {
    expect(wireHeaderProblem(Buffer.alloc(0))).toMatch(
      /0 bytes long, shorter than the 5-byte Confluent header/,
    );
    expect(wireHeaderProblem(Buffer.from([1, 0, 0, 0, 1, 2]))).toMatch(
      /first byte is 0x01, not the Confluent magic byte 0x00/,
    );
  });
});
