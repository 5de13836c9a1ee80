/**
 * The errors a user meets, produced for real: missing binaries, no capture permission, unknown
 * interface, bad filters, missing / foreign / corrupt / truncated pcaps, tshark dying mid-stream,
 * and malformed output lines. Each must be the documented class with a message that says what to do.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CapturePermissionError,
  InvalidFilterError,
  MalformedPacketError,
  PcapFileError,
  TsharkExitedError,
  TsharkNotFoundError,
  tsharkSource,
  UnknownInterfaceError,
} from '../../../src/connectors/tshark/index.js';
import {
  ETHERTYPE_IPV4,
  ethernet,
  IPPROTO_UDP,
  ipv4,
  type PcapPacket,
  udp,
  writePcap,
} from '../../helpers/pcap.js';
import { mixedCapture } from '../../helpers/pcap-scenarios.js';
import { drain, processExists, tempDir, waitFor } from './source-helpers.js';

const { dir, cleanup } = tempDir('tributary-tshark-errors-');
afterAll(cleanup);

const NOBODY = { uid: 65534, gid: 65534 };

/** Runs the source to its end and returns what it threw (fails the test if it did not throw). */
async function failureOf(
  source: ReturnType<typeof tsharkSource>,
): Promise<{ error: Error; delivered: number }> {
  let delivered = 0;
  try {
    for await (const batch of source.batches(new AbortController().signal)) delivered += batch.length;
  } catch (error) {
    return { error: error as Error, delivered };
  }
  throw new Error(`${source.name} ended without an error after ${delivered} records`);
}

function udpPackets(count: number): PcapPacket[] {
  return Array.from({ length: count }, (_, i) => ({
    timestampMicros: 1_700_000_000_000_000 + i * 100,
    frame: ethernet(
      '02:00:00:00:00:01',
      '02:00:00:00:00:02',
      ETHERTYPE_IPV4,
      ipv4('10.1.0.1', '10.1.0.2', IPPROTO_UDP, udp(10_000 + (i % 1000), 20_000, Buffer.alloc(64, i % 256))),
    ),
  }));
}

/** A stand-in tshark: a shell script printing `stdout` (a file) and `stderr`, then exiting with `code`. */
function fakeTshark(name: string, stdoutFile: string, stderr: string, code: number): string {
  const path = `${dir}/${name}.sh`;
  writeFileSync(
    path,
    `#!/bin/sh\ncat '${stdoutFile}'\nprintf '%s\\n' '${stderr.replaceAll("'", '')}' >&2\nexit ${code}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('missing programs', () => {
  it('names tshark and how to install it when tsharkPath points nowhere', async () => {
    writePcap(`${dir}/one.pcap`, udpPackets(1));
    const { error } = await failureOf(
      tsharkSource({ file: `${dir}/one.pcap`, tsharkPath: `${dir}/no/such/tshark` }),
    );
    expect(error).toBeInstanceOf(TsharkNotFoundError);
    expect((error as TsharkNotFoundError).program).toBe('tshark');
    expect(error.message).toContain(`${dir}/no/such/tshark`);
    expect(error.message).toContain('apt-get install -y tshark');
  });

  it('names dumpcap when it is missing for a live capture', async () => {
    const { error } = await failureOf(tsharkSource({ interface: 'lo', dumpcapPath: `${dir}/no/dumpcap` }));
    expect(error).toBeInstanceOf(TsharkNotFoundError);
    expect((error as TsharkNotFoundError).program).toBe('dumpcap');
    expect(error.message).toContain('dumpcapPath');
  });
});

describe('live capture failures', () => {
  it('explains how to grant capture permission when the user may not capture', async () => {
    const source = tsharkSource({ interface: 'lo', runAs: NOBODY });
    const { error } = await failureOf(source);
    expect(error).toBeInstanceOf(CapturePermissionError);
    expect(error.message).toContain('setcap cap_net_raw,cap_net_admin+eip /usr/bin/dumpcap');
    expect(error.message).toContain('wireshark');
    expect(error.message).toContain('"lo"');
    expect(error.message).toMatch(/permission to capture on device "lo"/);
  });

  it('names an unknown interface and how to list the real ones', async () => {
    const { error } = await failureOf(tsharkSource({ interface: 'nosuchif0' }));
    expect(error).toBeInstanceOf(UnknownInterfaceError);
    expect(error.message).toContain('"nosuchif0"');
    expect(error.message).toContain('tshark -D');
  });

  it('rejects an invalid capture filter', async () => {
    const { error } = await failureOf(tsharkSource({ interface: 'lo', captureFilter: 'udp prot 53' }));
    expect(error).toBeInstanceOf(InvalidFilterError);
    expect((error as InvalidFilterError).kind).toBe('capture');
    expect(error.message).toContain('"udp prot 53"');
  });
});

describe('replay failures', () => {
  it('reports a missing pcap before starting tshark', async () => {
    const { error } = await failureOf(tsharkSource({ file: `${dir}/absent.pcap` }));
    expect(error).toBeInstanceOf(PcapFileError);
    expect((error as PcapFileError).problem).toBe('missing');
    expect(error.message).toContain(`${dir}/absent.pcap`);
  });

  it('reports a file that is not a capture at all', async () => {
    writeFileSync(`${dir}/notes.pcap`, 'these are my notes, not packets\n'.repeat(40));
    const { error } = await failureOf(tsharkSource({ file: `${dir}/notes.pcap` }));
    expect(error).toBeInstanceOf(PcapFileError);
    expect((error as PcapFileError).problem).toBe('not-a-capture');
  });

  it('reports a corrupt pcap: a valid header followed by garbage', async () => {
    writePcap(`${dir}/header.pcap`, []);
    const garbage = Buffer.alloc(3000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251;
    writeFileSync(`${dir}/corrupt.pcap`, Buffer.concat([readFileSync(`${dir}/header.pcap`), garbage]));
    const { error } = await failureOf(tsharkSource({ file: `${dir}/corrupt.pcap` }));
    expect(error).toBeInstanceOf(PcapFileError);
    expect((error as PcapFileError).problem).toBe('corrupt');
    expect(error.message).toContain('damaged or corrupt');
  });

  it('delivers the packets of a truncated pcap, then reports the truncation', async () => {
    writePcap(`${dir}/full.pcap`, udpPackets(50));
    const bytes = readFileSync(`${dir}/full.pcap`);
    const frameBytes = 16 + 14 + 20 + 8 + 64;
    // Cut in the middle of the 21st packet.
    writeFileSync(`${dir}/cut.pcap`, bytes.subarray(0, 24 + 20 * frameBytes + 40));
    const { error, delivered } = await failureOf(tsharkSource({ file: `${dir}/cut.pcap` }));
    expect(delivered).toBe(20);
    expect(error).toBeInstanceOf(PcapFileError);
    expect((error as PcapFileError).problem).toBe('truncated');
  });

  it('reports a pcap the capture user may not read', async () => {
    writePcap(`${dir}/secret.pcap`, udpPackets(3));
    chmodSync(`${dir}/secret.pcap`, 0o600);
    chmodSync(dir, 0o755);
    const { error } = await failureOf(tsharkSource({ file: `${dir}/secret.pcap`, runAs: NOBODY }));
    expect(error).toBeInstanceOf(PcapFileError);
    expect((error as PcapFileError).problem).toBe('unreadable');
  });

  it('rejects an invalid display filter and unknown extra fields', async () => {
    writePcap(`${dir}/few.pcap`, udpPackets(3));
    const display = await failureOf(tsharkSource({ file: `${dir}/few.pcap`, displayFilter: 'udp.port ==' }));
    expect(display.error).toBeInstanceOf(InvalidFilterError);
    expect((display.error as InvalidFilterError).kind).toBe('display');
    const fields = await failureOf(tsharkSource({ file: `${dir}/few.pcap`, extraFields: ['no.such.field'] }));
    expect(fields.error).toBeInstanceOf(InvalidFilterError);
    expect((fields.error as InvalidFilterError).kind).toBe('field');
    expect(fields.error.message).toContain('no.such.field');
  });
});

describe('tshark ending mid-stream', () => {
  it('reports tshark killed while the consumer pauses, after the packets read before', async () => {
    writePcap(`${dir}/long.pcap`, udpPackets(20_000));
    const source = tsharkSource({ file: `${dir}/long.pcap`, batchSize: 100 });
    const iterator = source.batches(new AbortController().signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toHaveLength(100);
    const pid = source.processIds.tshark!;
    process.kill(pid, 'SIGKILL');
    let delivered = 100;
    let failure: unknown;
    try {
      for (let step = await iterator.next(); !step.done; step = await iterator.next())
        delivered += step.value.length;
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TsharkExitedError);
    expect((failure as TsharkExitedError).signal).toBe('SIGKILL');
    expect((failure as Error).message).toContain('was killed by SIGKILL');
    expect(delivered).toBeGreaterThanOrEqual(100);
    expect(delivered).toBeLessThan(20_000);
    await waitFor(() => !processExists(pid), 5000, 'the killed tshark to be reaped');
  });

  it('includes the end of stderr when tshark exits with an error after some output', async () => {
    writePcap(`${dir}/mixed.pcap`, mixedCapture());
    const { records } = await drain(tsharkSource({ file: `${dir}/mixed.pcap` }));
    const ek = `${dir}/mixed.ek`;
    // Real EK output from tshark for the first packets, then the stand-in fails.
    writeFileSync(
      ek,
      execFileSync('tshark', ['-r', `${dir}/mixed.pcap`, '-T', 'ek', '-c', '4'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    const tsharkPath = fakeTshark('dies', ek, 'tshark: disk on fire, giving up', 3);
    const { error, delivered } = await failureOf(tsharkSource({ file: `${dir}/mixed.pcap`, tsharkPath }));
    expect(records.length).toBeGreaterThan(4);
    expect(delivered).toBe(4);
    expect(error).toBeInstanceOf(TsharkExitedError);
    expect((error as TsharkExitedError).exitCode).toBe(3);
    expect(error.message).toContain('tshark: disk on fire, giving up');
  });
});

describe('malformed output lines', () => {
  const ekFile = `${dir}/broken.ek`;

  function writeBrokenEk(): { goodPackets: number; badLineNumbers: number[] } {
    writePcap(`${dir}/m.pcap`, mixedCapture());
    const lines = execFileSync('tshark', ['-r', `${dir}/m.pcap`, '-T', 'ek', '-c', '6'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter((l) => l !== '');
    const documents = lines.filter((l) => !l.startsWith('{"index"'));
    const broken = [
      lines[0]!,
      documents[0]!,
      documents[1]!.slice(0, 200), // truncated JSON
      '[1,2,3]', // not an object
      '{"timestamp":"1","nolayers":{}}', // no layers
      documents[2]!,
      `{"layers":{"frame":{}},"pad":"${'x'.repeat(12_000)}"}`, // longer than the limit below
      documents[3]!,
    ];
    writeFileSync(ekFile, `${broken.join('\n')}\n`);
    return { goodPackets: 3, badLineNumbers: [3, 4, 5, 7] };
  }

  it('counts malformed lines, hands them to onMalformed with line numbers, and keeps going', async () => {
    const { goodPackets, badLineNumbers } = writeBrokenEk();
    const seen: MalformedPacketError[] = [];
    const source = tsharkSource({
      file: `${dir}/m.pcap`,
      tsharkPath: fakeTshark('broken', ekFile, '', 0),
      maxLineLength: 10_000,
      onMalformed: (error) => seen.push(error),
    });
    const { records } = await drain(source);
    expect(records).toHaveLength(goodPackets);
    expect(source.malformedLines).toBe(badLineNumbers.length);
    expect(seen.map((e) => e.lineNumber)).toEqual(badLineNumbers);
    expect(seen.every((e) => e instanceof MalformedPacketError)).toBe(true);
    expect(seen[0]!.message).toContain('line 3');
    expect(seen[0]!.snippet.length).toBeLessThanOrEqual(161);
    expect(seen[3]!.reason).toContain('longer than 10000');
  });

  it('fails the source when onMalformed throws', async () => {
    writeBrokenEk();
    const source = tsharkSource({
      file: `${dir}/m.pcap`,
      tsharkPath: fakeTshark('broken2', ekFile, '', 0),
      onMalformed: (error) => {
        throw error;
      },
    });
    const { error, delivered } = await failureOf(source);
    expect(error).toBeInstanceOf(MalformedPacketError);
    expect((error as MalformedPacketError).lineNumber).toBe(3);
    expect(delivered).toBe(0);
  });
});
