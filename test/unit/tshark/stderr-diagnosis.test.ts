/**
 * Reading tshark 4.0 / dumpcap stderr. The inputs are the tools' wording as they print it (the
 * same failures are produced for real in test/integration/tshark/errors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  CapturePermissionError,
  InvalidFilterError,
  PcapFileError,
  UnknownInterfaceError,
} from '../../../src/connectors/tshark/errors.js';
import {
  diagnoseCaptureFailure,
  diagnoseTsharkFailure,
  parseCaptureStatistics,
} from '../../../src/connectors/tshark/stderr-diagnosis.js';

describe('parseCaptureStatistics', () => {
  it('sums dumpcap statistics over interfaces', () => {
    const stderr = [
      "Capturing on 'Loopback: lo' and 'eth0'",
      'File: /tmp/x/capture.pcapng',
      'Packets captured: 700',
      "Packets received/dropped on interface 'Loopback: lo': 674/116846 (pcap:116846/dumpcap:0/flushed:0/ps_ifdrop:0) (0.6%)",
      "Packets received/dropped on interface 'eth0': 26/4 (pcap:4/dumpcap:0/flushed:0/ps_ifdrop:0) (86.7%)",
    ].join('\n');
    expect(parseCaptureStatistics(stderr)).toEqual({ received: 700, dropped: 116_850 });
  });

  it("reads tshark's own capture summary", () => {
    expect(parseCaptureStatistics('tshark: \n1 packet captured\n3 packets dropped from lo\n')).toEqual({
      received: 1,
      dropped: 3,
    });
    expect(parseCaptureStatistics("Capturing on 'lo'\n")).toEqual({
      received: undefined,
      dropped: undefined,
    });
  });
});

describe('diagnoseCaptureFailure', () => {
  const context = { interfaceName: 'eth9', captureFilter: 'udp prot 53' };

  it('recognises the failures dumpcap reports', () => {
    expect(
      diagnoseCaptureFailure(
        'dumpcap: There is no device named "eth9".\n(No such device exists)',
        '',
        context,
      ),
    ).toBeInstanceOf(UnknownInterfaceError);
    expect(
      diagnoseCaptureFailure(
        'dumpcap: You do not have permission to capture on device "eth9".\n(socket: Operation not permitted)',
        '',
        context,
      ),
    ).toBeInstanceOf(CapturePermissionError);
    expect(
      diagnoseCaptureFailure(
        "Couldn't run /usr/bin/dumpcap in child process: Permission denied",
        '',
        context,
      ),
    ).toBeInstanceOf(CapturePermissionError);
    const filter = diagnoseCaptureFailure(
      `dumpcap: Invalid capture filter "udp prot 53" for interface 'eth9'.`,
      '',
      context,
    );
    expect(filter).toBeInstanceOf(InvalidFilterError);
    expect((filter as InvalidFilterError).filter).toBe('udp prot 53');
    expect(diagnoseCaptureFailure('something else entirely', '', context)).toBeUndefined();
  });
});

describe('diagnoseTsharkFailure', () => {
  const context = { file: '/data/x.pcap', packetsSeen: false };

  it.each([
    ['tshark: The file "/data/x.pcap" doesn\'t exist.', 'missing'],
    [
      'tshark: The file "/data/x.pcap" isn\'t a capture file in a format TShark understands.',
      'not-a-capture',
    ],
    ['tshark: The file "/data/x.pcap" appears to be damaged or corrupt.', 'corrupt'],
    [
      'tshark: The file "/data/x.pcap" appears to have been cut short in the middle of a packet.',
      'truncated',
    ],
    ['tshark: You don\'t have permission to read the file "/data/x.pcap".', 'unreadable'],
  ])('%s -> %s', (stderr, problem) => {
    const error = diagnoseTsharkFailure(stderr, stderr, context);
    expect(error).toBeInstanceOf(PcapFileError);
    expect((error as PcapFileError).problem).toBe(problem);
    expect(error!.message).toContain('/data/x.pcap');
  });

  it('does not blame the capture for an unreadable configuration file', () => {
    const stderr = 'tshark: You don\'t have permission to read the file "/root/.config/wireshark/hosts".';
    expect(diagnoseTsharkFailure(stderr, stderr, context)).toBeUndefined();
  });

  it('names invalid extra fields and display filters', () => {
    const fields = diagnoseTsharkFailure("tshark: Some fields aren't valid:\n\tno.such.field\n", '', context);
    expect(fields).toBeInstanceOf(InvalidFilterError);
    expect((fields as InvalidFilterError).filter).toBe('no.such.field');
    const display = diagnoseTsharkFailure('tshark: Unexpected end of filter expression.', '', {
      ...context,
      displayFilter: 'udp.port ==',
    });
    expect((display as InvalidFilterError).kind).toBe('display');
    // Once packets came out, the display filter was fine: the failure is something else.
    expect(
      diagnoseTsharkFailure('tshark: oops', '', { ...context, displayFilter: 'udp', packetsSeen: true }),
    ).toBeUndefined();
  });
});
