import { describe, expect, it } from 'vitest';
import {
  type AdxTableSchema,
  ALERTS_TABLE,
  adxTableCommands,
  createCsvMappingCommand,
  createJsonMappingCommand,
  createMergeTableCommand,
  enableStreamingIngestionCommand,
  escapeKqlString,
  jsonPathOf,
  PACKET_STATS_TABLE,
  quoteName,
} from '../../../src/connectors/adx/index.js';

describe('KQL command builders', () => {
  it('builds .create-merge table with every column bracket-quoted and typed, in order', () => {
    expect(createMergeTableCommand(ALERTS_TABLE)).toBe(
      ".create-merge table ['Alerts'] (['time']:datetime, ['severity']:string, ['srcIp']:string, " +
        "['detector']:string, ['windowStart']:datetime, ['windowEnd']:datetime, ['evidence']:dynamic)",
    );
  });

  it('builds the flagship PacketStats table exactly', () => {
    expect(createMergeTableCommand(PACKET_STATS_TABLE)).toBe(
      ".create-merge table ['PacketStats'] (['windowStart']:datetime, ['windowEnd']:datetime, " +
        "['srcIp']:string, ['packets']:long, ['bytes']:long, ['distinctDstPorts']:long, " +
        "['distinctDstHosts']:long, ['synCount']:long, ['synAckCount']:long, ['avgResponseMs']:real, " +
        "['maxResponseMs']:real, ['nxdomainCount']:long)",
    );
  });

  it('builds a JSON mapping whose paths default to the same-named property', () => {
    const schema: AdxTableSchema = {
      table: 'T',
      columns: [
        { name: 'a', type: 'string' },
        { name: 'b_2', type: 'long' },
      ],
    };
    expect(createJsonMappingCommand(schema, 'TMapping')).toBe(
      `.create-or-alter table ['T'] ingestion json mapping "TMapping" ` +
        `'[{"column":"a","Properties":{"Path":"$.a"}},{"column":"b_2","Properties":{"Path":"$.b_2"}}]'`,
    );
  });

  it('escapes quotes and backslashes of custom paths inside the single-quoted KQL literal', () => {
    const schema: AdxTableSchema = {
      table: 'Odd Table',
      columns: [
        { name: 'src ip', type: 'string' },
        { name: 'quoted', type: 'string', path: "$['it''s']" },
        { name: 'slashed', type: 'string', path: '$.a\\b' },
      ],
    };
    // JSON escapes the backslash (\\), then KQL escapes each backslash and quote again.
    expect(createJsonMappingCommand(schema, 'odd-mapping.v1')).toBe(
      `.create-or-alter table ['Odd Table'] ingestion json mapping "odd-mapping.v1" '[` +
        `{"column":"src ip","Properties":{"Path":"$[\\'src ip\\']"}},` +
        `{"column":"quoted","Properties":{"Path":"$[\\'it\\'\\'s\\']"}},` +
        `{"column":"slashed","Properties":{"Path":"$.a\\\\\\\\b"}}]'`,
    );
  });

  it('builds a CSV mapping by ordinal', () => {
    const schema: AdxTableSchema = {
      table: 'C',
      columns: [
        { name: 'x', type: 'int' },
        { name: 'y', type: 'real' },
      ],
    };
    expect(createCsvMappingCommand(schema, 'CMap')).toBe(
      `.create-or-alter table ['C'] ingestion csv mapping "CMap" ` +
        `'[{"column":"x","Properties":{"Ordinal":"0"}},{"column":"y","Properties":{"Ordinal":"1"}}]'`,
    );
  });

  it('builds the streaming policy command and the ordered command list', () => {
    expect(enableStreamingIngestionCommand('Alerts')).toBe(
      ".alter table ['Alerts'] policy streamingingestion enable",
    );
    expect(
      adxTableCommands({ schema: ALERTS_TABLE, mappingName: 'M', mappingKind: 'csv', enableStreaming: true }),
    ).toEqual([
      createMergeTableCommand(ALERTS_TABLE),
      createCsvMappingCommand(ALERTS_TABLE, 'M'),
      enableStreamingIngestionCommand('Alerts'),
    ]);
  });

  it('escapes every special character of a KQL string literal', () => {
    expect(escapeKqlString(`a'b"c\\d\ne\rf\tg`)).toBe(`a\\'b"c\\\\d\\ne\\rf\\tg`);
    expect(escapeKqlString(`a'b"c`, '"')).toBe(`a'b\\"c`);
    expect(quoteName('my table')).toBe("['my table']");
    expect(jsonPathOf({ name: '9lives', type: 'int' })).toBe("$['9lives']");
  });

  it.each([
    ["Bob's", 'quote'],
    ['a]b', 'bracket'],
    ['', 'empty'],
    [' padded', 'leading space'],
    ['semi;colon', 'semicolon'],
  ])('rejects the table name %j (%s) with a message naming it', (name) => {
    expect(() => createMergeTableCommand({ table: name, columns: [{ name: 'a', type: 'string' }] })).toThrow(
      new RegExp(
        `Table name ${JSON.stringify(name).replace(/[[\]]/g, '\\$&')} is not a valid ADX entity name`,
      ),
    );
  });

  it('rejects unknown types, duplicate columns, empty schemas and bad mapping names', () => {
    const bad = { table: 'T', columns: [{ name: 'a', type: 'varchar' }] } as unknown as AdxTableSchema;
    expect(() => createMergeTableCommand(bad)).toThrow(
      /Column T\.a has type "varchar"; use one of bool, datetime/,
    );
    const dup: AdxTableSchema = {
      table: 'T',
      columns: [
        { name: 'a', type: 'string' },
        { name: 'a', type: 'long' },
      ],
    };
    expect(() => createMergeTableCommand(dup)).toThrow('Column T.a is declared twice');
    expect(() => createMergeTableCommand({ table: 'T', columns: [] })).toThrow('Table T has no columns');
    expect(() => createJsonMappingCommand(ALERTS_TABLE, 'bad"name')).toThrow(/Mapping name "bad\\"name"/);
  });
});
