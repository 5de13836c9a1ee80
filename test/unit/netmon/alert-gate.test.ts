import { describe, expect, it } from 'vitest';
import {
  decide,
  type GateEntry,
  resolveMonitorOptions,
} from '../../../examples/network-monitor/monitor/index.js';
import type { Alert, Severity } from '../../../examples/network-monitor/types.js';
import { WINDOW_START } from './stats-row.js';

const config = resolveMonitorOptions(); // cooldown = advance = 60 s
const minute = 60_000;

function alert(windowStart: number, firedAt: number, severity: Severity = 'warning'): Alert {
  return {
    id: `port-scan:10.0.0.7:${windowStart}`,
    detector: 'port-scan',
    severity,
    source: '10.0.0.7',
    windowStart,
    windowEnd: windowStart + 5 * minute,
    firedAt,
    summary: '',
    evidence: {},
  };
}

/** Feeds alerts through the gate; returns which passed. */
function run(alerts: Alert[]): boolean[] {
  let entry: GateEntry | undefined;
  return alerts.map((a) => {
    const d = decide(entry, a, config);
    if (d.next) entry = d.next;
    return d.pass;
  });
}

describe('alert gate', () => {
  it('lets the first alert of a (detector, source) through', () => {
    expect(decide(undefined, alert(WINDOW_START, WINDOW_START + 1000), config)).toMatchObject({
      pass: true,
      reason: 'new',
    });
  });

  it('drops repeats of the same window, even after the cooldown', () => {
    const t = WINDOW_START + 4 * minute;
    expect(
      run([alert(WINDOW_START, t), alert(WINDOW_START, t + 1), alert(WINDOW_START, t + 2 * minute)]),
    ).toEqual([true, false, false]);
  });

  it('allows one alert per cooldown of event time for other windows', () => {
    const t = WINDOW_START + 4 * minute;
    const passed = run([
      alert(WINDOW_START, t),
      alert(WINDOW_START + minute, t + 30_000), // within the cooldown
      alert(WINDOW_START + minute, t + minute - 1), // still within
      alert(WINDOW_START + minute, t + minute), // cooldown over
      alert(WINDOW_START + 2 * minute, t + minute + 10),
    ]);
    expect(passed).toEqual([true, false, false, true, false]);
  });

  it('lets a severity escalation through once, in the cooldown and for an alerted window', () => {
    const t = WINDOW_START + 4 * minute;
    const passed = run([
      alert(WINDOW_START, t, 'warning'),
      alert(WINDOW_START, t + 1000, 'critical'),
      alert(WINDOW_START, t + 2000, 'critical'),
      alert(WINDOW_START + minute, t + 3000, 'critical'),
      alert(WINDOW_START + minute, t + 4000, 'warning'),
    ]);
    expect(passed).toEqual([true, true, false, false, false]);
  });

  it('remembers only windows that can still change', () => {
    let entry: GateEntry | undefined;
    for (let i = 0; i < 30; i++) {
      const d = decide(
        entry,
        alert(WINDOW_START + i * minute, WINDOW_START + i * minute + 4 * minute),
        config,
      );
      if (d.next) entry = d.next;
    }
    // size 5 min + grace 30 s: at most 6 window starts of a 1-minute advance are still open
    expect(entry!.windowStarts.length).toBeLessThanOrEqual(6);
    expect(entry!.windowStarts).toContain(WINDOW_START + 29 * minute);
  });
});
