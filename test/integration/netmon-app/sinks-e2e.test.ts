/**
 * A real run's outside interfaces: alerts POSTed to a webhook in Alertmanager's shape (credentials
 * from the URL sent as Basic auth and never printed), and the Prometheus endpoint scraped while the
 * capture is processed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CAPTURE, writeCapture } from '../../../examples/network-monitor/traffic/index.js';
import { startMonitor, summaryOf } from './run-cli.js';
import { startWebhookServer, type WebhookServer } from './webhook-server.js';

/** Scrapes `url` until `accept` likes the text or `done` resolves; returns the last accepted text. */
async function scrapeUntil(
  url: string,
  accept: (text: string) => boolean,
  done: Promise<unknown>,
): Promise<string> {
  let finished = false;
  void done.then(() => (finished = true));
  let last = '';
  while (!finished) {
    const text = await fetch(url)
      .then((r) => r.text())
      .catch(() => '');
    if (text && accept(text)) return text;
    if (text) last = text;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('network monitor sinks (spawned run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netmon-sinks-'));
  const pcap = join(dir, 'scan.pcap');
  let server: WebhookServer;

  beforeAll(async () => {
    writeCapture({ ...E2E_CAPTURE, durationS: 150, anomalies: [{ kind: 'port-scan', atS: 40 }] }, pcap);
    server = await startWebhookServer();
  });
  afterAll(() => server.close());

  it('posts alerts to the webhook and serves metrics on 127.0.0.1', { timeout: 180_000 }, async () => {
    const secretUrl = server.url.replace('http://', 'http://netmon:hunter2-secret@');
    const run = startMonitor([
      '--pcap',
      pcap,
      '--no-tty',
      '--duckdb',
      join(dir, 'scan.duckdb'),
      '--webhook',
      secretUrl,
      '--metrics-port',
      '0',
    ]);
    const metricsLine = await run.waitForLine(/^metrics http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const metricsUrl = metricsLine.slice('metrics '.length);
    const scraped = await scrapeUntil(
      metricsUrl,
      (text) => (metricValue(text, 'netmon_packets_total{layer="tcp"}') ?? 0) > 0,
      run.exited,
    );
    expect(metricValue(scraped, 'netmon_packets_total{layer="tcp"}')).toBeGreaterThan(0);
    expect(metricValue(scraped, 'netmon_bytes_total{layer="tcp"}')).toBeGreaterThan(0);
    expect(metricValue(scraped, 'netmon_scale_recommended_instances')).toBeGreaterThanOrEqual(1);
    expect(scraped).toContain('netmon_pipeline_consumer_lag');
    expect(scraped).toContain('netmon_pipeline_records_per_second');

    expect(await run.exited, run.stderr()).toBe(0);
    const summary = summaryOf(run.stdout());
    expect(summary.alertsByDetector['port-scan']).toBeGreaterThanOrEqual(1);
    const posted = server.received.flatMap((r) => r.body as { labels: Record<string, string> }[]);
    expect(posted).toHaveLength(summary.alerts);
    expect(
      posted.some((a) => a.labels.detector === 'port-scan' && a.labels.alertname === 'NetmonPortScan'),
    ).toBe(true);
    for (const alert of posted) {
      expect(Object.keys(alert).sort()).toEqual([
        'annotations',
        'endsAt',
        'generatorURL',
        'labels',
        'startsAt',
      ]);
      expect(Object.keys(alert.labels).sort()).toEqual(['alertname', 'detector', 'severity', 'source']);
    }
    expect(server.received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('netmon:hunter2-secret').toString('base64')}`,
    );
    expect(run.stdout() + run.stderr()).not.toContain('hunter2-secret');
    expect(run.stdout()).toContain('webhook http://***:***@127.0.0.1');
  });
});
