import { describe, expect, it } from 'vitest';
import {
  asBoolean,
  asNumber,
  asString,
  epochToMicros,
  F,
  flatValue,
  MODEL_FIELD_NAMES,
  nestedValue,
  secondsToMillis,
} from '../../../src/connectors/tshark/ek-fields.js';

describe('EK field locations', () => {
  it('maps a tshark field to its nested and flat EK keys', () => {
    expect(F.tcpAckRtt).toEqual({
      name: 'tcp.analysis.ack_rtt',
      layer: 'tcp',
      nestedKey: 'tcp_tcp_analysis_ack_rtt',
      flatKey: 'tcp_analysis_ack_rtt',
      slot: MODEL_FIELD_NAMES.indexOf('tcp.analysis.ack_rtt'),
    });
    expect(Object.values(F).map((f) => f.slot)).toEqual(MODEL_FIELD_NAMES.map((_, i) => i));
    expect(F.tlsServerName.nestedKey).toBe('tls_tls_handshake_extensions_server_name');
    expect(MODEL_FIELD_NAMES).toContain('frame.time_epoch');
    expect(new Set(MODEL_FIELD_NAMES).size).toBe(MODEL_FIELD_NAMES.length);
  });

  it('takes the first layer and the first value when tshark repeats them', () => {
    const nested = {
      ip: [{ ip_ip_src: '10.0.0.1' }, { ip_ip_src: '192.168.0.1' }],
      dns: { dns_dns_qry_name: ['a', 'b'] },
    };
    expect(nestedValue(nested, F.ipSrc)).toBe('10.0.0.1');
    expect(nestedValue(nested, F.dnsQueryName)).toBe('a');
    expect(nestedValue(nested, F.tcpSyn)).toBeUndefined();
    expect(flatValue({ ip_src: ['10.0.0.1', '192.168.0.1'] }, F.ipSrc)).toBe('10.0.0.1');
    expect(flatValue({}, F.ipSrc)).toBeUndefined();
  });
});

describe('EK value conversion', () => {
  it('reads booleans in both EK spellings', () => {
    expect([true, false, '1', '0', 'True', 'False', undefined, 'yes'].map(asBoolean)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      undefined,
      undefined,
    ]);
  });

  it('reads decimal and hex numbers, and nothing else', () => {
    expect(['53', '0x0010', '', 'abc', undefined, 7].map(asNumber)).toEqual([
      53,
      16,
      undefined,
      undefined,
      undefined,
      7,
    ]);
    expect(asString(5)).toBeUndefined();
    expect(asString('x')).toBe('x');
  });

  it('converts epoch strings to exact integer microseconds', () => {
    for (const fraction of ['000000', '000001', '123456', '999999', '500000']) {
      expect(epochToMicros(`1700000000.${fraction}000`)).toBe(1_700_000_000_000_000 + Number(fraction));
    }
    expect(epochToMicros('1700000000.123456789')).toBe(1_700_000_000_123_456); // nanoseconds truncate
    expect(epochToMicros('1700000000.5')).toBe(1_700_000_000_500_000);
    expect(epochToMicros('1700000000')).toBe(1_700_000_000_000_000);
    expect(epochToMicros('-1.5')).toBeUndefined();
    expect(epochToMicros('1e9')).toBeUndefined();
    expect(epochToMicros(1700000000)).toBeUndefined();
  });

  it('converts relative seconds to milliseconds exactly to the microsecond', () => {
    expect(secondsToMillis('0.003500000')).toBe(3.5);
    expect(secondsToMillis('0.001500000')).toBe(1.5);
    expect(secondsToMillis('0.000001000')).toBe(0.001);
    expect(secondsToMillis('2.250000000')).toBe(2250);
    expect(secondsToMillis(undefined)).toBeUndefined();
  });
});
