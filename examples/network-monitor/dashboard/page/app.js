// The live dashboard: charts from /api/history, then Server-Sent Events (one snapshot at a time).
import { followWidth, rateChart } from './charts.js';
import {
  renderAlerts,
  renderKpis,
  renderLayers,
  renderSources,
  renderStatus,
  renderTalkers,
} from './render.js';

const MAX_POINTS = 900;
const state = {
  layers: [],
  packets: [[]],
  bytes: [[]],
  charts: {},
  alerts: [],
  alertIds: new Set(),
  updates: 0,
};
// Read by the browser test (and handy in the console): the charts' data and what the page shows.
window.__dashboard = state;

function drawCharts() {
  state.charts.packets = rateChart(
    document.getElementById('chart-packets'),
    state.layers,
    state.packets,
    'packets',
  );
  state.charts.bytes = rateChart(document.getElementById('chart-bytes'), state.layers, state.bytes, 'bits');
}

/** Appends the snapshot's rates as a point when its event-time second is new; new layers redraw. */
function addPoint(s) {
  const second = Math.floor(s.streamTime / 1000);
  const times = state.packets[0];
  if (s.streamTime <= 0 || (times.length > 0 && second <= times[times.length - 1])) return;
  const fresh = s.rates.map((r) => r.layer).filter((l) => !state.layers.includes(l));
  if (fresh.length > 0) {
    for (const layer of fresh) {
      state.layers.push(layer);
      state.packets.push(times.map(() => 0));
      state.bytes.push(times.map(() => 0));
    }
  }
  const rate = new Map(s.rates.map((r) => [r.layer, r]));
  times.push(second);
  state.bytes[0] = times;
  state.layers.forEach((layer, i) => {
    state.packets[i + 1].push(rate.get(layer)?.packetsPerSecond ?? 0);
    state.bytes[i + 1].push(rate.get(layer)?.bytesPerSecond ?? 0);
  });
  if (times.length > MAX_POINTS)
    for (const column of [...state.packets.slice(1), ...state.bytes.slice(1), times]) column.shift();
  if (fresh.length > 0) drawCharts();
  else {
    state.charts.packets.setData(state.packets);
    state.charts.bytes.setData(state.bytes);
  }
}

function addAlerts(alerts) {
  const fresh = new Set();
  for (const a of alerts) {
    // One firing: an escalation (warning -> critical) keeps the alert's id (dashboard-model.ts alertKey).
    const key = `${a.id}|${a.severity}|${a.firedAt}`;
    if (state.alertIds.has(key)) continue;
    state.alertIds.add(key);
    state.alerts.push(a);
    fresh.add(key);
  }
  if (fresh.size > 0) renderAlerts(state.alerts, state.updates > 0 ? fresh : new Set());
}

function onSnapshot(s) {
  renderKpis(s);
  renderTalkers(s);
  renderLayers(s);
  addPoint(s);
  addAlerts([...s.recentAlerts].reverse());
  state.updates++;
}

let query = '';
async function refreshSources() {
  const response = await fetch(`/api/sources?limit=50&q=${encodeURIComponent(query)}`);
  if (response.ok) renderSources(await response.json(), query);
}

async function start() {
  const [history, alerts] = await Promise.all(
    [fetch('/api/history'), fetch('/api/alerts')].map((p) => p.then((r) => r.json())),
  );
  state.layers = [...history.layers];
  state.packets = history.packets.map((c) => [...c]);
  state.bytes = history.bytes.map((c, i) => (i === 0 ? state.packets[0] : [...c]));
  drawCharts();
  for (const id of ['chart-packets', 'chart-bytes']) {
    const key = id === 'chart-packets' ? 'packets' : 'bytes';
    followWidth(() => state.charts[key], document.getElementById(id));
  }
  addAlerts(alerts);
  const events = new EventSource('/events');
  events.addEventListener('snapshot', (e) => {
    renderStatus('live');
    onSnapshot(JSON.parse(e.data));
  });
  events.addEventListener('end', () => {
    events.close();
    clearInterval(sourcesTimer);
    renderStatus('ended');
  });
  events.onerror = () => renderStatus('lost');
  let debounce;
  document.getElementById('source-search').addEventListener('input', (e) => {
    query = e.target.value;
    clearTimeout(debounce);
    debounce = setTimeout(refreshSources, 150);
  });
  const sourcesTimer = setInterval(refreshSources, 2000);
  refreshSources();
}

start();
