import { afterEach, describe, expect, it } from 'vitest';
import {
  type DashboardFeed,
  DashboardModel,
} from '../../../examples/network-monitor/dashboard/dashboard-model.js';
import {
  type DashboardServer,
  startDashboardServer,
} from '../../../examples/network-monitor/dashboard/dashboard-server.js';
import type { MonitorSnapshot } from '../../../examples/network-monitor/types.js';
import { alertFor, snapshotAt, statsOf, T0 } from './fixtures.js';

/** A feed over fixed figures: 2000 sources in the current window. */
function feedOf(snapshot: MonitorSnapshot): DashboardFeed {
  const stats = Array.from({ length: 2000 }, (_, i) => statsOf(`10.0.${i >> 8}.${i & 255}`, i));
  return { current: () => snapshot, currentWindowStats: () => stats };
}

/** Reads SSE events from `url` until `count` `snapshot` events arrived; returns their data. */
async function readEvents(url: string, count: number): Promise<MonitorSnapshot[]> {
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: MonitorSnapshot[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end = text.indexOf('\n\n');
    while (end >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (/^event: snapshot$/m.test(block) && data) events.push(JSON.parse(data) as MonitorSnapshot);
      end = text.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('dashboard server', () => {
  let server: DashboardServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the page, uPlot, the JSON endpoints and 404s that say where things are', async () => {
    const first = snapshotAt(T0 + 2000, { tcp: [10, 1000] }, [alertFor('10.0.0.9')]);
    const model = new DashboardModel();
    model.observe(first);
    server = await startDashboardServer({ host: '127.0.0.1', port: 0, model, feed: feedOf(first) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="/vendor/uPlot.min.js"></script>');
    const uplot = await (await fetch(`${server.url}vendor/uPlot.min.js`)).text();
    expect(uplot).toContain('uPlot');
    expect(((await (await fetch(`${server.url}api/snapshot`)).json()) as MonitorSnapshot).streamTime).toBe(
      T0 + 2000,
    );
    expect(await (await fetch(`${server.url}api/alerts`)).json()).toEqual([alertFor('10.0.0.9')]);
    expect(await (await fetch(`${server.url}api/history`)).json()).toMatchObject({ layers: ['tcp'] });
    const missing = await fetch(`${server.url}nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/api/');
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('answers a source search with the top N of thousands, the limit capped at 500', async () => {
    const snapshot = snapshotAt(T0 + 1000, {});
    server = await startDashboardServer({
      host: '127.0.0.1',
      port: 0,
      model: new DashboardModel(),
      feed: feedOf(snapshot),
    });
    const all = (await (await fetch(`${server.url}api/sources`)).json()) as {
      matched: number;
      sources: unknown[];
    };
    expect(all.matched).toBe(2000);
    expect(all.sources).toHaveLength(50);
    const capped = (await (await fetch(`${server.url}api/sources?limit=100000`)).json()) as {
      sources: unknown[];
    };
    expect(capped.sources).toHaveLength(500);
    const found = (await (await fetch(`${server.url}api/sources?q=10.0.7.20`)).json()) as {
      sources: { source: string; bytes: number }[];
    };
    // Sources are 10.0.0.0 .. 10.0.7.207: 10.0.7.20 and 10.0.7.200..207 match; busiest (most bytes) first.
    expect(found.sources.map((s) => s.source)).toEqual([
      '10.0.7.207',
      '10.0.7.206',
      '10.0.7.205',
      '10.0.7.204',
      '10.0.7.203',
      '10.0.7.202',
      '10.0.7.201',
      '10.0.7.200',
      '10.0.7.20',
    ]);
  });

  it('streams the current snapshot at once, then pushed ones no closer than minIntervalMs', async () => {
    const first = snapshotAt(T0 + 1000, { tcp: [1, 1] });
    server = await startDashboardServer({
      host: '127.0.0.1',
      port: 0,
      model: new DashboardModel(),
      feed: feedOf(first),
      minIntervalMs: 60_000,
    });
    const running = server;
    const events = readEvents(`${running.url}events`, 2);
    // Push until the stream is connected; the throttle lets exactly one through.
    const pusher = setInterval(() => running.push(snapshotAt(T0 + 5000, { udp: [2, 2] })), 20);
    const [initial, pushed] = await events;
    clearInterval(pusher);
    expect(initial?.streamTime).toBe(T0 + 1000);
    expect(pushed?.streamTime).toBe(T0 + 5000);
  });

  it('names the address and what to do when the port is taken', async () => {
    const snapshot = snapshotAt(T0, {});
    const opts = { host: '127.0.0.1', model: new DashboardModel(), feed: feedOf(snapshot) };
    server = await startDashboardServer({ ...opts, port: 0 });
    const port = Number(new URL(server.url).port);
    await expect(startDashboardServer({ ...opts, port })).rejects.toThrow(
      new RegExp(
        `could not listen on 127.0.0.1:${port}: port ${port} is taken; pick another --dashboard-port`,
      ),
    );
  });
});
