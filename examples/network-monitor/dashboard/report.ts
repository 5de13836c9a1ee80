/**
 * The `--report` file: one self-contained HTML page summing up a run (uPlot and the styles inline,
 * the rate series as embedded JSON drawn by the dashboard's own chart module, and the alert, top
 * talker and protocol tables rendered here so they read without JavaScript).
 */
import { clip, formatBytes, formatClock, formatCount } from '../app/format.js';
import type { Alert, MonitorSnapshot, SourceWindowStats } from '../types.js';
import type { RateSeries } from './rate-history.js';
import { staticText } from './static-files.js';

/** What a report shows. */
export interface ReportInput {
  readonly title: string;
  readonly snapshot: MonitorSnapshot;
  readonly series: RateSeries;
  readonly alerts: readonly Alert[];
  /** Wall time the report was written (epoch ms). */
  readonly generatedAt: number;
}

/** Renders the report page. */
export function renderReport(input: ReportInput): string {
  const { snapshot: s, alerts } = input;
  const data = JSON.stringify({ series: input.series }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)} · report</title>
<style>${staticText('/vendor/uPlot.min.css')}</style>
<style>${staticText('/style.css')}
table.data td.wrap { white-space: normal; font-family: inherit; }</style>
<script>${staticText('/vendor/uPlot.min.js')}</script>
</head><body>
<header class="top"><div class="brand"><span class="logo">◆</span> tributary <span class="dim">/ ${esc(input.title)} · run report</span></div>
<div class="progress"><div id="progress-bar" style="width:100%"></div></div>
<div class="status"><span class="dim">written</span> <span class="mono">${esc(new Date(input.generatedAt).toISOString().replace('T', ' ').slice(0, 19))} UTC</span></div></header>
<main>
<section class="kpis">
${kpi('packets', formatCount(s.packetsRead), s.packetsTotal ? `of ${formatCount(s.packetsTotal)} in the capture` : 'read')}
${kpi('protocols', formatCount(Object.keys(s.packetsByLayer).length), 'top layers seen')}
${kpi('event time reached', formatClock(s.streamTime), 'UTC')}
${kpi('dead letters', formatCount(s.pipeline.deadLetters), 'records')}
${kpi('alerts', formatCount(alerts.length), detectorLine(alerts))}
${kpi('sources alerted', formatCount(new Set(alerts.map((a) => a.source)).size), 'distinct')}
</section>
<section class="grid two">
<div class="panel"><h2>Packets per second <span class="dim">by protocol</span></h2><div id="chart-packets" class="chart"></div></div>
<div class="panel"><h2>Throughput <span class="dim">bit/s by protocol</span></h2><div id="chart-bytes" class="chart"></div></div>
</section>
<section class="panel"><h2>Alerts <span class="dim">in firing order</span></h2>${alertTable(alerts)}</section>
<section class="grid two">
<div class="panel"><h2>Top talkers <span class="dim">last window</span></h2>${talkerTable(s.topTalkers)}</div>
<div class="panel"><h2>Protocols <span class="dim">packets over the run</span></h2>${layerTable(s.packetsByLayer)}</div>
</section>
</main>
<script type="application/json" id="report-data">${data}</script>
<script type="module">
${moduleText('/format.js')}
${moduleText('/charts.js')}
const { series } = JSON.parse(document.getElementById('report-data').textContent);
for (const [id, key, kind] of [['chart-packets', 'packets', 'packets'], ['chart-bytes', 'bytes', 'bits']]) {
  const target = document.getElementById(id);
  let chart = rateChart(target, series.layers, series[key], kind);
  followWidth(() => chart, target);
}
</script>
</body></html>
`;
}

/** A page module's text without its imports (the report puts the modules in one script). */
function moduleText(path: string): string {
  return staticText(path).replace(/^import .*$/gm, '');
}

function kpi(label: string, value: string, note: string): string {
  return `<div class="kpi"><span class="label">${esc(label)}</span><b>${esc(value)}</b><small>${esc(note)}</small></div>`;
}

function detectorLine(alerts: readonly Alert[]): string {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.detector, (counts.get(a.detector) ?? 0) + 1);
  if (counts.size === 0) return 'none';
  return [...counts].map(([d, n]) => `${d} ${n}`).join(' · ');
}

function alertTable(alerts: readonly Alert[]): string {
  if (alerts.length === 0) return '<p class="dim">No alerts were raised in this run.</p>';
  const rows = alerts.map(
    (a) =>
      `<tr class="alert" data-detector="${esc(a.detector)}" data-source="${esc(a.source)}"><td>${formatClock(a.firedAt)}</td>` +
      `<td><span class="sev ${esc(a.severity)}">${esc(a.severity)}</span></td><td>${esc(a.detector)}</td>` +
      `<td>${esc(a.source)}</td><td>${formatClock(a.windowStart)}–${formatClock(a.windowEnd)}</td>` +
      `<td class="wrap">${esc(a.summary)}</td><td class="wrap">${esc(evidenceText(a))}</td></tr>`,
  );
  return `<table class="data" id="alert-table"><thead><tr><th>fired (UTC)</th><th>severity</th><th>detector</th><th>source</th>
<th>window (UTC)</th><th>summary</th><th>evidence</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function evidenceText(a: Alert): string {
  return Object.entries(a.evidence)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toFixed(2)) : clip(v, 60)}`)
    .join('  ');
}

function talkerTable(top: readonly SourceWindowStats[]): string {
  const rows = top.map(
    (t) =>
      `<tr><td>${esc(t.source)}</td><td class="num">${formatCount(t.packets)}</td><td class="num">${formatBytes(t.bytes)}</td>` +
      `<td class="num">${formatCount(t.distinctDstPorts)}</td><td class="num">${formatCount(t.distinctDstHosts)}</td>` +
      `<td class="num">${formatCount(t.tcpSyn)}</td><td class="num">${formatCount(t.dnsNxdomain)}</td></tr>`,
  );
  return `<table class="data" id="talker-table"><thead><tr><th>source</th><th class="num">packets</th><th class="num">bytes</th>
<th class="num">dst ports</th><th class="num">dst hosts</th><th class="num">SYN</th><th class="num">NXDOMAIN</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

function layerTable(byLayer: Readonly<Record<string, number>>): string {
  const rows = Object.entries(byLayer)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([layer, n]) =>
        `<tr data-layer="${esc(layer)}"><td>${esc(layer)}</td><td class="num">${formatCount(n)}</td></tr>`,
    );
  return `<table class="data" id="layer-table"><thead><tr><th>protocol</th><th class="num">packets</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
