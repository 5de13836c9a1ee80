import { describe, expect, it } from 'vitest';
import { dumpcapArgs, tsharkArgs } from '../../../src/connectors/tshark/capture-command.js';
import { MODEL_FIELD_NAMES } from '../../../src/connectors/tshark/ek-fields.js';
import { resolveTsharkOptions, type TsharkSourceOptions } from '../../../src/connectors/tshark/options.js';
import {
  DEFAULT_REPLAY_OUTPUT_BUFFER_BYTES,
  withOutputBuffer,
} from '../../../src/connectors/tshark/output-buffering.js';
import { Pacer } from '../../../src/connectors/tshark/pacer.js';
import { tsharkSource } from '../../../src/connectors/tshark/tshark-source.js';

describe('resolveTsharkOptions', () => {
  it('fills defaults and names the source after its input', () => {
    const replay = resolveTsharkOptions({ file: '/captures/day1.pcapng' });
    expect(replay).toMatchObject({
      mode: 'replay',
      name: 'tshark:day1.pcapng',
      fields: 'model',
      pacing: 'fast',
      speed: 1,
      batchSize: 500,
      maxWaitMs: 100,
      stopTimeoutMs: 3000,
      tsharkPath: 'tshark',
      dumpcapPath: 'dumpcap',
    });
    expect(resolveTsharkOptions({ interface: 'eth0' })).toMatchObject({
      mode: 'live',
      name: 'tshark:eth0',
      outputBufferBytes: undefined,
    });
    expect(replay.outputBufferBytes).toBe(DEFAULT_REPLAY_OUTPUT_BUFFER_BYTES);
    expect(
      resolveTsharkOptions({ file: 'x.pcap', outputBufferBytes: false }).outputBufferBytes,
    ).toBeUndefined();
    expect(resolveTsharkOptions({ file: 'x.pcap', outputBufferBytes: 65536 }).outputBufferBytes).toBe(65536);
    expect(tsharkSource({ interface: 'lo', name: 'edge-tap' }).name).toBe('edge-tap');
  });

  it.each<[TsharkSourceOptions, RegExp]>([
    [{} as TsharkSourceOptions, /exactly one of `interface`/],
    [{ interface: 'lo', file: 'x.pcap' } as unknown as TsharkSourceOptions, /exactly one of `interface`/],
    [{ file: 'x.pcap', batchSize: 0 }, /batchSize must be a positive integer, got 0/],
    [{ file: 'x.pcap', outputBufferBytes: 0.5 }, /outputBufferBytes must be a positive integer/],
    [{ file: 'x.pcap', speed: -1 }, /speed must be a positive number/],
    [
      { file: 'x.pcap', pacing: 'slow' } as unknown as TsharkSourceOptions,
      /pacing must be "fast" or "recorded"/,
    ],
    [
      { file: 'x.pcap', maxWait: 'soon' } as unknown as TsharkSourceOptions,
      /maxWait "soon" is not a duration/,
    ],
    [{ file: 'x.pcap', fields: 'all', extraFields: ['ip.ttl'] }, /extraFields only applies/],
    [{ interface: 'lo', snapLength: 1.5 }, /snapLength must be a positive integer/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveTsharkOptions(options)).toThrow(message);
  });
});

describe('command lines', () => {
  it('asks tshark for EK with the model fields, without name resolution', () => {
    const args = tsharkArgs(
      resolveTsharkOptions({ file: 'a.pcap', extraFields: ['ip.ttl'], maxPackets: 10 }),
      'a.pcap',
    );
    expect(args.slice(0, 5)).toEqual(['-r', 'a.pcap', '-n', '-T', 'ek']);
    expect(args).not.toContain('-l');
    const requested = args.flatMap((arg, i) => (args[i - 1] === '-e' ? [arg] : []));
    expect(requested).toEqual([...MODEL_FIELD_NAMES, 'ip.ttl']);
    expect(args.slice(-2)).toEqual(['-c', '10']);
  });

  it('asks for every field with fields: "all", and passes filters and extra arguments', () => {
    const options = resolveTsharkOptions({
      interface: 'lo',
      fields: 'all',
      displayFilter: 'dns',
      tsharkArgs: ['-o', 'tcp.desegment_tcp_streams:FALSE'],
    });
    expect(tsharkArgs(options, '/tmp/fifo')).toEqual([
      '-r',
      '/tmp/fifo',
      '-n',
      '-l',
      '-T',
      'ek',
      '-Y',
      'dns',
      '-o',
      'tcp.desegment_tcp_streams:FALSE',
    ]);
  });

  it('runs dumpcap on the interface into the FIFO with the capture options', () => {
    const options = resolveTsharkOptions({
      interface: 'eth0',
      captureFilter: 'udp port 53',
      snapLength: 256,
      bufferSizeMiB: 8,
      maxPackets: 5,
    });
    expect(dumpcapArgs(options, '/tmp/fifo')).toEqual([
      '-i',
      'eth0',
      '-w',
      '/tmp/fifo',
      '-q',
      '-f',
      'udp port 53',
      '-s',
      '256',
      '-B',
      '8',
      '-c',
      '5',
    ]);
  });
});

describe('Pacer', () => {
  it('holds each packet until its recorded offset, divided by the speed', () => {
    let now = 1000;
    const pacer = new Pacer(2, () => now);
    expect(pacer.delayMs(5_000_000)).toBe(0); // the first packet starts the clock
    expect(pacer.delayMs(5_100_000)).toBe(50); // 100 ms later in the capture, at speed 2
    now += 30;
    expect(pacer.delayMs(5_100_000)).toBe(20);
    now += 500;
    expect(pacer.delayMs(5_200_000)).toBe(0); // already due: no wait
    expect(pacer.delayMs(5_000_500)).toBe(0); // sub-millisecond and out-of-order packets go at once
  });
});

describe('withOutputBuffer', () => {
  const lib = '/usr/libexec/coreutils/libstdbuf.so';

  it("preloads libstdbuf with the buffer size, keeping the caller's LD_PRELOAD", () => {
    expect(withOutputBuffer({ PATH: '/bin' }, 131072, lib)).toEqual({
      PATH: '/bin',
      LD_PRELOAD: lib,
      _STDBUF_O: '131072',
    });
    expect(withOutputBuffer({ LD_PRELOAD: '/opt/x.so' }, 4096, lib).LD_PRELOAD).toBe(`${lib}:/opt/x.so`);
  });

  it('leaves the environment alone without a size or without the library', () => {
    const env = { PATH: '/bin' };
    expect(withOutputBuffer(env, undefined, lib)).toBe(env);
    expect(withOutputBuffer(env, 131072, undefined)).toBe(env);
  });
});
