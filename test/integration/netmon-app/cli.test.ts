/** The command line, spawned for real: help, bad flags, a missing pcap, an unreachable broker. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../../helpers/pcap.js';
import { syntheticTraffic } from '../../helpers/pcap-traffic.js';
import { runMonitorCli } from './run-cli.js';

describe('network monitor CLI', () => {
  it('prints its help and exits 0', async () => {
    const { code, stdout } = await runMonitorCli(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--pcap',
      '--interface',
      '--brokers',
      '--role',
      '--webhook',
      '--metrics-port',
      '--no-tty',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('rejects an unknown flag with exit 2 and points at --help', async () => {
    const { code, stderr } = await runMonitorCli(['--pcap', 'x.pcap', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('--help');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('says which flag has a bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmon-cli-'));
    const pcap = join(dir, 'a.pcap');
    writePcap(pcap, syntheticTraffic(10));
    const window = await runMonitorCli(['--pcap', pcap, '--window', 'five minutes']);
    expect(window.code).toBe(2);
    expect(window.stderr).toContain('--window "five minutes" is not a duration');
    const hop = await runMonitorCli(['--pcap', pcap, '--window', '1m', '--advance', '2m']);
    expect(hop.code).toBe(2);
    expect(hop.stderr).toContain('--advance');
    const role = await runMonitorCli(['--pcap', pcap, '--role', 'process']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('add --brokers');
    const nothing = await runMonitorCli([]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('--pcap FILE, --interface IFACE');
  });

  it('reports a missing pcap with exit 2', async () => {
    const { code, stderr } = await runMonitorCli(['--pcap', '/nonexistent/capture.pcap', '--no-tty']);
    expect(code).toBe(2);
    expect(stderr).toContain('capture file "/nonexistent/capture.pcap" does not exist');
  });

  it('reports an unreachable broker with exit 1 instead of retrying for a minute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmon-cli-'));
    const pcap = join(dir, 'a.pcap');
    writePcap(pcap, syntheticTraffic(10));
    const started = Date.now();
    const { code, stderr } = await runMonitorCli(['--pcap', pcap, '--brokers', '127.0.0.1:1', '--no-tty']);
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach any Kafka broker: 127.0.0.1:1 (ECONNREFUSED)');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
