// Per-protocol rate charts with uPlot (loaded as the global `uPlot` before this module).
import { bitRate, clock, si } from './format.js';

/** One colour per protocol layer, picked by name so a layer keeps its colour across reloads. */
const PALETTE = [
  '#4cc9f0',
  '#f72585',
  '#7ae582',
  '#ffb703',
  '#b388ff',
  '#ff6b6b',
  '#48cae4',
  '#f4a261',
  '#90be6d',
  '#e9c46a',
  '#c77dff',
  '#06d6a0',
];
const KNOWN = { tcp: 0, udp: 4, tls: 1, dns: 3, http: 7, icmp: 5, icmpv6: 11, arp: 2, quic: 10, ntp: 9 };

export function colourOf(layer) {
  if (layer in KNOWN) return PALETTE[KNOWN[layer]];
  let h = 0;
  for (const c of layer) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

function withAlpha(hex, alpha) {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

const AXIS = {
  stroke: '#8b9bb4',
  grid: { stroke: 'rgba(139,155,180,0.12)', width: 1 },
  ticks: { stroke: 'rgba(139,155,180,0.25)', width: 1 },
  font: '11px ui-monospace, SFMono-Regular, Menlo, monospace',
};

/**
 * Draws a rate chart into `target`: `data` is [seconds, ...one column per layer] (uPlot's layout);
 * `kind` is "packets" (packets/s) or "bits" (bytes/s shown as bit/s).
 */
export function rateChart(target, layers, data, kind) {
  const format = kind === 'bits' ? bitRate : (v) => si(v, 'pkt/s');
  const options = {
    width: Math.max(320, target.clientWidth),
    height: 230,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    cursor: { drag: { x: true, y: false }, points: { size: 6 } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...AXIS, values: (_u, splits) => splits.map((v) => clock(v * 1000)) },
      { ...AXIS, size: 92, values: (_u, splits) => splits.map((v) => format(v)) },
    ],
    series: [
      { label: 'time (UTC)' },
      ...layers.map((layer) => ({
        label: layer,
        stroke: colourOf(layer),
        fill: withAlpha(colourOf(layer), 0.07),
        width: 1.6,
        points: { show: false },
        value: (_u, v) => (v === null || v === undefined ? '—' : format(v)),
      })),
    ],
  };
  target.replaceChildren();
  return new uPlot(options, data, target);
}

/** Keeps `chart` as wide as its container. */
export function followWidth(chartRef, target) {
  const resize = () => chartRef()?.setSize({ width: Math.max(320, target.clientWidth), height: 230 });
  new ResizeObserver(resize).observe(target);
}
