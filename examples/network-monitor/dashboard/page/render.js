// Renders the live page's panels from a MonitorSnapshot and the alert log.
import { colourOf } from './charts.js';
import { bytes, clock, count, esc, millis, si } from './format.js';

const $ = (id) => document.getElementById(id);

/** Header and the six figures at the top. */
export function renderKpis(s) {
  $('stream-time').textContent = clock(s.streamTime);
  $('kpi-packets').textContent = count(s.packetsRead);
  $('kpi-packets-total').textContent = s.packetsTotal ? `of ${count(s.packetsTotal)} in the capture` : 'live';
  $('progress-bar').style.width = s.packetsTotal
    ? `${Math.min(100, (100 * s.packetsRead) / s.packetsTotal)}%`
    : '100%';
  $('kpi-throughput').textContent = si(s.pipeline.recordsPerSecond);
  $('kpi-lag').textContent = count(s.pipeline.consumerLag);
  $('kpi-latency').textContent = s.pipeline.processLatencyMs > 0 ? millis(s.pipeline.processLatencyMs) : '—';
  $('kpi-dead').textContent = count(s.pipeline.deadLetters);
  const byDetector = Object.entries(s.alertsByDetector).sort((a, b) => b[1] - a[1]);
  $('kpi-alerts').textContent = count(byDetector.reduce((sum, [, n]) => sum + n, 0));
  $('kpi-detectors').textContent = byDetector.length
    ? byDetector.map(([d, n]) => `${d} ${n}`).join(' · ')
    : 'none yet';
}

/** Top talkers with a bar of each one's share of the busiest. */
export function renderTalkers(s) {
  const top = s.topTalkers;
  const first = top[0];
  $('window-label').textContent = first ? `${clock(first.windowStart)}–${clock(first.windowEnd)}` : '';
  const max = first ? first.bytes : 1;
  $('talkers').tBodies[0].innerHTML = top
    .map(
      (
        t,
      ) => `<tr><td>${esc(t.source)}</td><td class="num">${count(t.packets)}</td><td class="num">${bytes(t.bytes)}</td>
<td class="share"><div class="bar" style="width:${((100 * t.bytes) / max).toFixed(1)}%"></div></td>
<td class="num${t.distinctDstPorts > 100 ? ' hot' : ''}">${count(t.distinctDstPorts)}</td><td class="num">${count(t.distinctDstHosts)}</td>
<td class="num${t.tcpSyn > 200 && t.tcpSynAckReceived * 4 < t.tcpSyn ? ' hot' : ''}">${count(t.tcpSyn)} / ${count(t.tcpSynAckReceived)}</td>
<td class="num">${millis(t.avgResponseMs)}</td><td class="num${t.dnsNxdomain > 20 ? ' hot' : ''}">${count(t.dnsNxdomain)}</td></tr>`,
    )
    .join('');
}

/** One alert as a feed item. */
export function alertItem(a, fresh) {
  const evidence = Object.entries(a.evidence)
    .map(([k, v]) => `<span>${esc(k)} <b>${esc(typeof v === 'number' ? Number(v.toFixed(2)) : v)}</b></span>`)
    .join('');
  return `<li class="${esc(a.severity)}${fresh ? ' fresh' : ''}" data-detector="${esc(a.detector)}" data-source="${esc(a.source)}">
<div class="alert-head"><span class="sev ${esc(a.severity)}">${esc(a.severity)}</span><span class="detector">${esc(a.detector)}</span>
<span class="alert-source">${esc(a.source)}</span><span class="alert-window" title="window (UTC)">${clock(a.windowStart)}–${clock(a.windowEnd)}</span></div>
<div class="alert-summary">${esc(a.summary)}</div><div class="evidence">${evidence}</div></li>`;
}

/** The alert feed, newest first (at most 200 items on the page). */
export function renderAlerts(alerts, freshIds) {
  const list = $('alerts');
  if (alerts.length === 0) return;
  list.innerHTML = alerts
    .slice(-200)
    .reverse()
    .map((a) => alertItem(a, freshIds.has(`${a.id}|${a.severity}|${a.firedAt}`)))
    .join('');
}

/** The per-source table of a search result. */
export function renderSources(result, query) {
  $('source-count').textContent =
    `${count(result.matched)} source${result.matched === 1 ? '' : 's'}${query ? ' match' : ''}${
      result.matched > result.sources.length ? `, first ${result.sources.length} shown` : ''
    }`;
  $('sources').tBodies[0].innerHTML = result.sources
    .map(
      (
        t,
      ) => `<tr><td>${esc(t.source)}</td><td class="num">${count(t.packets)}</td><td class="num">${bytes(t.bytes)}</td>
<td class="num">${count(t.distinctDstPorts)}</td><td class="num">${count(t.distinctDstHosts)}</td><td class="num">${count(t.tcpSyn)}</td>
<td class="num">${count(t.tcpSynAck)}</td><td class="num">${count(t.tcpSynAckReceived)}</td><td class="num">${millis(t.avgResponseMs)}</td>
<td class="num">${millis(t.maxResponseMs)}</td><td class="num">${count(t.dnsNxdomain)}</td></tr>`,
    )
    .join('');
}

/** Packets per protocol since the start. */
export function renderLayers(s) {
  $('layers').innerHTML = Object.entries(s.packetsByLayer)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([layer, n]) =>
        `<div class="layer"><i style="background:${colourOf(layer)}"></i>${esc(layer)} <b>${count(n)}</b></div>`,
    )
    .join('');
}

/** The connection indicator. */
export function renderStatus(state) {
  const text = { live: 'live', ended: 'run ended', lost: 'reconnecting…' }[state] ?? state;
  $('status-dot').className = `dot ${state}`;
  $('status-text').textContent = text;
}
