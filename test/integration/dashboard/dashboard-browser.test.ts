/**
 * The dashboard in a real browser during a replay: the monitor is spawned as a user runs it on a
 * generated capture with an injected port scan; headless Chromium (Debian's, driven by
 * playwright-core) loads the page while packets flow. The charts must hold and paint non-zero rates,
 * the scan must show up in the alert feed for its source, and a screenshot goes to .artifacts/.
 * At the end of the run the --report file must hold the same alerts and series, and render offline.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_START_MS, writeCapture } from '../../../examples/network-monitor/traffic/index.js';
import { startMonitor, summaryOf } from '../netmon-app/run-cli.js';
import { CHROMIUM, type DashboardState, seriesPixels, TCP_RGB } from './browser-page.js';

const ARTIFACTS = join(process.cwd(), '.artifacts', 'dashboard');

describe('dashboard in headless Chromium during a pcap replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netmon-dashboard-'));
  const pcap = join(dir, 'scan.pcap');
  const reportFile = join(dir, 'report.html');
  let browser: Browser;
  const labels = writeCapture(
    {
      seed: 424_242,
      durationS: 240,
      startMs: DEMO_START_MS + 2 * 86_400_000,
      normalHosts: 60,
      packetsPerSecond: 80,
      anomalies: [{ kind: 'port-scan', atS: 60 }],
    },
    pcap,
  );
  const scan = labels.labels.find((l) => l.detector === 'port-scan');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows live rates and the injected scan, then writes a report with both', {
    timeout: 240_000,
  }, async () => {
    expect(scan, 'the generator labelled the port scan').toBeDefined();
    const run = startMonitor([
      '--pcap',
      pcap,
      '--no-tty',
      '--dashboard-port',
      '0',
      '--report',
      reportFile,
      '--duckdb',
      join(dir, 'run.duckdb'),
      '--state-dir',
      join(dir, 'state'),
    ]);
    try {
      const url = (await run.waitForLine(/^dashboard http:\/\/127\.0\.0\.1:\d+\/$/, 120_000)).slice(
        'dashboard '.length,
      );
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      const feedItem = `#alerts li[data-detector="port-scan"][data-source="${scan?.source}"]`;
      await page.waitForSelector(feedItem, { timeout: 150_000 });
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { __dashboard: DashboardState }).__dashboard.charts.packets.data[0]!
            .length >= 5,
        undefined,
        { timeout: 60_000 },
      );
      const state = await page.evaluate(() => {
        const s = (globalThis as unknown as { __dashboard: DashboardState }).__dashboard;
        return {
          updates: s.updates,
          packets: s.charts.packets.data,
          bytes: s.charts.bytes.data,
          alerts: s.alerts,
        };
      });
      expect(state.updates).toBeGreaterThan(0);
      const peak = (columns: number[][]) => Math.max(...columns.slice(1).flat());
      expect(peak(state.packets)).toBeGreaterThan(0);
      expect(peak(state.bytes)).toBeGreaterThan(0);
      expect(await seriesPixels(page, '#chart-packets canvas', TCP_RGB)).toBeGreaterThan(30);
      expect(await page.textContent(feedItem)).toContain('port-scan');
      expect(await page.locator('#talkers tbody tr').count()).toBeGreaterThan(0);
      // The per-source search: the busiest talker's address finds it, first of the matches.
      const busiest = (await page.textContent('#talkers tbody tr td'))?.trim() ?? '';
      await page.fill('#source-search', busiest);
      await page.waitForFunction(
        (address) => {
          const doc = (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
            }
          ).document;
          const cells = doc.querySelectorAll('#sources tbody tr td:first-child');
          return cells.length > 0 && Array.from(cells).every((c) => c.textContent?.includes(address));
        },
        busiest,
        { timeout: 30_000 },
      );
      expect(await page.textContent('#sources tbody tr td')).toBe(busiest);
      await page.screenshot({ path: join(ARTIFACTS, 'live.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();

      expect(await run.exited, run.stderr()).toBe(0);
      const summary = summaryOf(run.stdout());
      const html = readFileSync(reportFile, 'utf8');
      const rows = [...html.matchAll(/<tr class="alert" data-detector="([^"]+)" data-source="([^"]+)">/g)];
      expect(rows).toHaveLength(summary.alerts);
      expect(rows.some(([, detector, source]) => detector === 'port-scan' && source === scan?.source)).toBe(
        true,
      );
      const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
      const { series } = JSON.parse(json ?? '{}') as { series: { layers: string[]; packets: number[][] } };
      expect(series.layers).toContain('tcp');
      expect(Math.max(...series.packets.slice(1).flat())).toBeGreaterThan(0);
      for (const [layer, count] of Object.entries(summary.packetsByLayer)) {
        expect(html).toMatch(
          new RegExp(
            `<tr data-layer="${layer}"><td>${layer}</td><td class="num">${count.toLocaleString('en-US')}</td>`,
          ),
        );
      }

      // Offline, from the file: the inline uPlot draws the embedded series.
      const offline = await browser.newPage({ viewport: { width: 1400, height: 900 }, offline: true });
      await offline.goto(pathToFileURL(reportFile).href);
      await offline.waitForSelector('#chart-packets canvas');
      expect(await seriesPixels(offline, '#chart-packets canvas', TCP_RGB)).toBeGreaterThan(30);
      await offline.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      await offline.close();
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
