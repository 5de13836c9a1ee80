import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../examples/network-monitor/app/usage-error.js';
import {
  DEMO_DASHBOARD_PORT,
  splitDashboardFlags,
} from '../../../examples/network-monitor/dashboard/dashboard-flags.js';

describe('splitDashboardFlags', () => {
  it('takes its flags out and leaves the monitor its own, in order', () => {
    const { rest, flags } = splitDashboardFlags([
      '--pcap',
      'a.pcap',
      '--dashboard-port',
      '9000',
      '--report=out/run.html',
      '--no-tty',
    ]);
    expect(rest).toEqual(['--pcap', 'a.pcap', '--no-tty']);
    expect(flags).toEqual({
      server: { host: '127.0.0.1', port: 9000, anyPortIfTaken: false },
      report: 'out/run.html',
    });
  });

  it('is off without flags, on at the demo port with --demo, and "off" turns the demo one off', () => {
    expect(splitDashboardFlags(['--pcap', 'a.pcap']).flags).toEqual({ server: undefined, report: undefined });
    expect(splitDashboardFlags(['--demo']).flags.server).toEqual({
      host: '127.0.0.1',
      port: DEMO_DASHBOARD_PORT,
      anyPortIfTaken: true,
    });
    expect(splitDashboardFlags(['--demo', '--dashboard-port', 'off']).flags.server).toBeUndefined();
    expect(
      splitDashboardFlags(['--dashboard-port', '0', '--dashboard-host', '0.0.0.0']).flags.server,
    ).toEqual({
      host: '0.0.0.0',
      port: 0,
      anyPortIfTaken: false,
    });
  });

  it('refuses a bad port, a missing value and a host without a port, saying what to pass', () => {
    expect(() => splitDashboardFlags(['--dashboard-port', '70000'])).toThrow(/0 to 65535.*"70000"/);
    expect(() => splitDashboardFlags(['--dashboard-port', 'x1'])).toThrow(UsageError);
    expect(() => splitDashboardFlags(['--report'])).toThrow(/--report needs a value, e.g. --report run.html/);
    expect(() => splitDashboardFlags(['--report', '--demo'])).toThrow(/--report needs a value/);
    expect(() => splitDashboardFlags(['--dashboard-host', 'h'])).toThrow(/needs --dashboard-port/);
  });
});
