import { describe, expect, it } from 'vitest';
import {
  DashboardModel,
  searchSources,
} from '../../../examples/network-monitor/dashboard/dashboard-model.js';
import { RateHistory } from '../../../examples/network-monitor/dashboard/rate-history.js';
import { alertFor, snapshotAt, statsOf, T0 } from './fixtures.js';

describe('RateHistory', () => {
  it('adds one point per new event-time second, with a zero for a layer silent in it', () => {
    const history = new RateHistory();
    expect(history.add(snapshotAt(0, { tcp: [1, 2] }))).toBe(false); // nothing read yet
    expect(history.add(snapshotAt(T0 + 1500, { tcp: [10, 1000] }))).toBe(true);
    expect(history.add(snapshotAt(T0 + 1900, { tcp: [99, 99] }))).toBe(false); // same second
    expect(history.add(snapshotAt(T0 + 3000, { tcp: [20, 2000], dns: [3, 300] }))).toBe(true);
    const s0 = T0 / 1000;
    expect(history.series()).toEqual({
      layers: ['dns', 'tcp'],
      packets: [
        [s0 + 1, s0 + 3],
        [0, 3],
        [10, 20],
      ],
      bytes: [
        [s0 + 1, s0 + 3],
        [0, 300],
        [1000, 2000],
      ],
    });
  });

  it('keeps at most `limit` points, dropping the oldest', () => {
    const history = new RateHistory(3);
    for (let i = 1; i <= 5; i++) history.add(snapshotAt(T0 + i * 1000, { udp: [i, i * 10] }));
    expect(history.size).toBe(3);
    expect(history.series().packets[1]).toEqual([3, 4, 5]);
  });
});

describe('DashboardModel', () => {
  it('logs every alert once, in firing order, though snapshots repeat them newest first', () => {
    const model = new DashboardModel();
    const a = alertFor('10.0.0.1');
    const b = alertFor('10.0.0.2');
    const c = alertFor('10.0.0.3');
    model.observe(snapshotAt(T0 + 1000, {}, [a]));
    model.observe(snapshotAt(T0 + 2000, {}, [c, b, a]));
    model.observe(snapshotAt(T0 + 3000, {}, [c, b, a]));
    expect(model.allAlerts().map((x) => x.source)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(model.snapshot?.streamTime).toBe(T0 + 3000);
  });

  it('keeps an escalation of the same condition (same id, new severity) as a firing of its own', () => {
    const model = new DashboardModel();
    const warning = alertFor('10.0.0.1');
    const critical = { ...warning, severity: 'critical' as const, firedAt: warning.firedAt + 800 };
    model.observe(snapshotAt(T0 + 1000, {}, [warning]));
    model.observe(snapshotAt(T0 + 2000, {}, [critical, warning]));
    expect(model.allAlerts().map((a) => a.severity)).toEqual(['warning', 'critical']);
  });
});

describe('searchSources', () => {
  const stats = [statsOf('10.0.0.1', 500), statsOf('10.0.0.12', 9000), statsOf('192.168.1.1', 700)];

  it('filters by a part of the address, busiest first, and counts all matches beyond the limit', () => {
    expect(searchSources(stats, ' 10.0.0.1', 1)).toEqual({ matched: 2, sources: [stats[1]] });
    expect(searchSources(stats, '', 10).sources.map((s) => s.source)).toEqual([
      '10.0.0.12',
      '192.168.1.1',
      '10.0.0.1',
    ]);
    expect(searchSources(stats, '172.', 10)).toEqual({ matched: 0, sources: [] });
  });

  it('does not reorder the caller’s array', () => {
    const copy = [...stats];
    searchSources(stats, '', 10);
    expect(stats).toEqual(copy);
  });
});
