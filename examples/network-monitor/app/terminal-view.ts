/**
 * The live terminal view: progress through the capture, per-protocol rates, top talkers and alerts
 * as they fire, redrawn from snapshots (the producer publishes at most 4 a second) with plain ANSI
 * escapes: home the cursor, draw, clear what is left below.
 */
import type { Alert, MonitorSnapshot, Severity } from '../types.js';
import { clip, formatBytes, formatClock, formatCount, formatElapsed } from './format.js';

/** What the view shows besides the snapshot. */
export interface ViewContext {
  /** "demo.pcap", "eth0", "network-packets (Kafka)". */
  readonly inputLabel: string;
  readonly startedAt: number;
  readonly now: number;
  /** Terminal width in columns. */
  readonly columns: number;
  /** Rows of alerts to show. */
  readonly alertRows?: number;
  /** Lines shown under the header (e.g. the metrics URL). */
  readonly notes?: readonly string[];
}

const ESC = '\x1b[';
const bold = (s: string) => `${ESC}1m${s}${ESC}0m`;
const dim = (s: string) => `${ESC}2m${s}${ESC}0m`;
const cyan = (s: string) => `${ESC}36m${s}${ESC}0m`;
const SEVERITY_COLOR: Record<Severity, string> = { critical: '31;1', warning: '33', info: '37' };
const severity = (s: Severity) => `${ESC}${SEVERITY_COLOR[s]}m${s.toUpperCase().padEnd(9)}${ESC}0m`;

/** The whole screen for `snapshot`, as lines without escapes for clearing. */
export function renderView(snapshot: MonitorSnapshot, context: ViewContext): string[] {
  const width = Math.max(60, Math.min(context.columns, 120));
  const lines: string[] = [];
  const elapsed = formatElapsed(context.now - context.startedAt);
  lines.push(
    `${bold(cyan(' tributary network monitor'))}  ${dim(clip(context.inputLabel, width - 45))}  ${dim(elapsed)}`,
  );
  for (const note of context.notes ?? []) lines.push(` ${dim(clip(note, width - 2))}`);
  lines.push(progressLine(snapshot, width));
  const p = snapshot.pipeline;
  lines.push(
    ` ${dim('pipeline')} ${formatCount(p.recordsPerSecond)} packets/s   ${dim('lag')} ${formatCount(p.consumerLag)}` +
      `   ${dim('dead letters')} ${formatCount(p.deadLetters)}   ${dim('event time')} ${formatClock(snapshot.streamTime)}`,
  );
  lines.push('');
  lines.push(
    bold(
      ` ${'protocol'.padEnd(10)}${'packets/s'.padStart(12)}${'bytes/s'.padStart(13)}${'total'.padStart(14)}`,
    ),
  );
  for (const rate of snapshot.rates.slice(0, 8)) {
    const total = snapshot.packetsByLayer[rate.layer] ?? 0;
    lines.push(
      ` ${rate.layer.padEnd(10)}${formatCount(rate.packetsPerSecond).padStart(12)}` +
        `${formatBytes(rate.bytesPerSecond).padStart(13)}${formatCount(total).padStart(14)}`,
    );
  }
  lines.push('');
  const windowLabel = snapshot.topTalkers[0]
    ? `window ${formatClock(snapshot.topTalkers[0].windowStart)}–${formatClock(snapshot.topTalkers[0].windowEnd)}`
    : 'no window yet';
  lines.push(
    bold(
      ` ${'top talkers'.padEnd(40)}${'packets'.padStart(10)}${'bytes'.padStart(12)}${'ports'.padStart(7)}${'hosts'.padStart(7)}`,
    ) + `  ${dim(windowLabel)}`,
  );
  for (const s of snapshot.topTalkers.slice(0, 8)) {
    lines.push(
      ` ${clip(s.source, 39).padEnd(40)}${formatCount(s.packets).padStart(10)}${formatBytes(s.bytes).padStart(12)}` +
        `${String(s.distinctDstPorts).padStart(7)}${String(s.distinctDstHosts).padStart(7)}`,
    );
  }
  lines.push('');
  const total = Object.values(snapshot.alertsByDetector).reduce((a, b) => a + (b ?? 0), 0);
  const byDetector = Object.entries(snapshot.alertsByDetector)
    .map(([d, n]) => `${d} ${n}`)
    .join('  ');
  lines.push(`${bold(` alerts ${total}`)}  ${dim(byDetector)}`);
  for (const alert of snapshot.recentAlerts.slice(0, context.alertRows ?? 8))
    lines.push(alertLine(alert, width));
  return lines;
}

function progressLine(snapshot: MonitorSnapshot, width: number): string {
  const { packetsRead, packetsTotal } = snapshot;
  if (packetsTotal === undefined || packetsTotal === 0) return ` ${formatCount(packetsRead)} packets`;
  const share = Math.min(1, packetsRead / packetsTotal);
  const barWidth = Math.max(10, Math.min(40, width - 50));
  const filled = Math.round(share * barWidth);
  const bar = `${cyan('█'.repeat(filled))}${dim('░'.repeat(barWidth - filled))}`;
  return ` ${bar} ${String(Math.floor(share * 100)).padStart(3)}%  ${formatCount(packetsRead)} / ${formatCount(packetsTotal)} packets`;
}

function alertLine(alert: Alert, width: number): string {
  const head = ` ${formatClock(alert.firedAt)} `;
  const what = `${alert.detector.padEnd(14)}${alert.source.padEnd(17)}`;
  return `${head}${severity(alert.severity)}${what}${dim(clip(alert.summary, Math.max(10, width - 50)))}`;
}

/** Draws snapshots in place on a terminal; restores the cursor when stopped. */
export class TerminalView {
  /** Lines shown under the header. */
  readonly notes: string[] = [];
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly inputLabel: string,
    private readonly startedAt: number,
  ) {}

  /** Redraws the screen with `snapshot`. */
  draw(snapshot: MonitorSnapshot): void {
    const lines = renderView(snapshot, {
      inputLabel: this.inputLabel,
      startedAt: this.startedAt,
      now: Date.now(),
      columns: this.out.columns ?? 100,
      alertRows: Math.max(3, (this.out.rows ?? 40) - 30),
      notes: this.notes,
    });
    const prefix = this.drawn ? `${ESC}H` : `${ESC}?25l${ESC}2J${ESC}H`;
    this.drawn = true;
    this.out.write(`${prefix}${lines.map((l) => `${l}${ESC}K`).join('\n')}\n${ESC}J`);
  }

  /** Shows the cursor again (the last frame stays on screen). */
  stop(): void {
    if (this.drawn) this.out.write(`${ESC}?25h\n`);
  }
}
