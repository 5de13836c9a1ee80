import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  attachDashboard,
  type MonitorFeed,
} from '../../../examples/network-monitor/dashboard/attach-dashboard.js';
import type { MonitorSnapshot } from '../../../examples/network-monitor/types.js';
import { alertFor, snapshotAt, T0 } from './fixtures.js';

function feedOf(subject: Subject<MonitorSnapshot>): MonitorFeed {
  return {
    snapshots$: subject.asObservable(),
    current: () => snapshotAt(T0, {}),
    currentWindowStats: () => [],
  };
}

/** Holds a port on 127.0.0.1 until released. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, release: () => new Promise((r) => blocker.close(() => r())) };
}

describe('attachDashboard', () => {
  it('does nothing without a port or a report', async () => {
    const subject = new Subject<MonitorSnapshot>();
    const attached = await attachDashboard(
      { server: undefined, report: undefined },
      feedOf(subject),
      () => {},
    );
    expect(attached.url).toBeUndefined();
    expect(subject.observed).toBe(false);
  });

  it('moves the demo default to a free port when it is taken, and writes the report when the feed ends', async () => {
    const held = await holdPort();
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-attach-'));
    const report = join(dir, 'sub', 'run.html');
    const lines: string[] = [];
    const subject = new Subject<MonitorSnapshot>();
    try {
      const attached = await attachDashboard(
        { server: { host: '127.0.0.1', port: held.port, anyPortIfTaken: true }, report },
        feedOf(subject),
        (line) => lines.push(line),
      );
      expect(attached.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(attached.url).not.toContain(`:${held.port}/`);
      subject.next(snapshotAt(T0 + 1000, { tcp: [4, 400] }, [alertFor('10.9.9.9')]));
      expect(((await (await fetch(`${attached.url}api/alerts`)).json()) as unknown[]).length).toBe(1);
      subject.complete();
      await attached.done;
      expect(readFileSync(report, 'utf8')).toContain('data-source="10.9.9.9"');
      await expect(fetch(`${attached.url}api/alerts`)).rejects.toThrow(); // closed
      expect(lines).toEqual([
        `dashboard: port ${held.port} is taken, using a free one`,
        `dashboard ${attached.url}`,
        `report ${report}`,
      ]);
    } finally {
      await held.release();
    }
  });

  it('fails on a taken port that was asked for explicitly', async () => {
    const held = await holdPort();
    try {
      await expect(
        attachDashboard(
          { server: { host: '127.0.0.1', port: held.port, anyPortIfTaken: false }, report: undefined },
          feedOf(new Subject()),
          () => {},
        ),
      ).rejects.toThrow(/is taken; pick another --dashboard-port/);
    } finally {
      await held.release();
    }
  });

  it('says so, without failing the run, when the report cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-attach-'));
    const lines: string[] = [];
    const subject = new Subject<MonitorSnapshot>();
    const attached = await attachDashboard({ server: undefined, report: dir }, feedOf(subject), (l) =>
      lines.push(l),
    );
    subject.complete();
    await attached.done;
    expect(lines[0]).toMatch(new RegExp(`^the report could not be written to ${dir}: `));
    expect(existsSync(join(dir, 'index.html'))).toBe(false);
  });
});
