/**
 * The view for logs and CI (`--no-tty`, or stdout not a terminal): one line per alert as it fires
 * and a progress line every few seconds, no escapes.
 */
import type { Alert, MonitorSnapshot } from '../types.js';
import { formatClock, formatCount } from './format.js';

/** One alert as a log line. */
export function alertLogLine(alert: Alert): string {
  return `ALERT ${alert.severity} ${alert.detector} source=${alert.source} window=${formatClock(alert.windowStart)}-${formatClock(alert.windowEnd)} ${alert.summary}`;
}

/** A progress line. */
export function progressLogLine(snapshot: MonitorSnapshot): string {
  const total = snapshot.packetsTotal ? ` of ${formatCount(snapshot.packetsTotal)}` : '';
  const alerts = Object.values(snapshot.alertsByDetector).reduce((a, b) => a + (b ?? 0), 0);
  return (
    `progress packets=${formatCount(snapshot.packetsRead)}${total} ` +
    `rate=${formatCount(snapshot.pipeline.recordsPerSecond)}/s lag=${snapshot.pipeline.consumerLag} ` +
    `eventTime=${formatClock(snapshot.streamTime)} alerts=${alerts}`
  );
}

/** Writes a progress line at most every `everyMs` of wall time, and only every minute while nothing moves. */
export class PlainLog {
  private lastProgress = 0;
  private lastPackets = -1;

  constructor(
    private readonly write: (line: string) => void,
    private readonly everyMs = 2000,
  ) {}

  /** Logs an alert at once. */
  alert(alert: Alert): void {
    this.write(alertLogLine(alert));
  }

  /** Logs progress when the last progress line is old enough. */
  progress(snapshot: MonitorSnapshot, now = Date.now()): void {
    if (now - this.lastProgress < this.everyMs) return;
    if (snapshot.packetsRead === this.lastPackets && now - this.lastProgress < 60_000) return;
    this.lastProgress = now;
    this.lastPackets = snapshot.packetsRead;
    this.write(progressLogLine(snapshot));
  }
}
