import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { parseHostInfo } from '../../../src/runtime/query/query-metadata.js';

describe('kafka.applicationServer', () => {
  it('reads host:port, with IPv6 hosts in brackets', () => {
    expect(parseHostInfo('10.0.0.5:7070')).toEqual({ host: '10.0.0.5', port: 7070 });
    expect(parseHostInfo('monitor-1.local:80')).toEqual({ host: 'monitor-1.local', port: 80 });
    expect(parseHostInfo('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
  });

  it('rejects anything else when the app is built, saying what it expects', () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in').groupByKey().count({ name: 'c', storeName: 'c' });
    const topology = b.build();
    for (const bad of ['10.0.0.5', '10.0.0.5:0', '10.0.0.5:70000', 'host:port', ':7070', '::1:80']) {
      expect(
        () =>
          new StreamsApp(topology, {
            applicationId: 'bad-server',
            kafka: { brokers: ['127.0.0.1:9'], applicationServer: bad },
          }),
      ).toThrow(`kafka.applicationServer "${bad}" is not "host:port"`);
    }
  });
});
