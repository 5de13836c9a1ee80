/** The Alertmanager webhook client against a real local HTTP server. */
import { afterEach, describe, expect, it } from 'vitest';
import { AlertWebhook } from '../../../examples/network-monitor/app/alert-webhook.js';
import type { Alert } from '../../../examples/network-monitor/types.js';
import { startWebhookServer, type WebhookServer } from './webhook-server.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function alert(i: number, detector: Alert['detector'] = 'port-scan'): Alert {
  return {
    id: `${detector}:10.0.0.${i}:${T0}`,
    detector,
    severity: i % 2 === 0 ? 'critical' : 'warning',
    source: `10.0.0.${i}`,
    windowStart: T0,
    windowEnd: T0 + 300_000,
    firedAt: T0 + 42_000,
    summary: `10.0.0.${i} probed 80 distinct ports`,
    evidence: { distinctDstPorts: 80, threshold: 50 },
  };
}

const fastRetry = { maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 50 };
let server: WebhookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('AlertWebhook', () => {
  it('posts Alertmanager API v2 alerts: an array of labels, annotations, startsAt, endsAt, generatorURL', async () => {
    server = await startWebhookServer();
    const webhook = new AlertWebhook({ url: server.url, retry: fastRetry });
    webhook.enqueue(alert(1));
    webhook.enqueue(alert(2, 'syn-flood'));
    await webhook.close();
    const bodies = server.received.flatMap((r) => r.body as Record<string, unknown>[]);
    expect(server.received.every((r) => r.path === '/api/v2/alerts')).toBe(true);
    expect(server.received[0]!.headers['content-type']).toBe('application/json');
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toEqual({
      labels: { alertname: 'NetmonPortScan', severity: 'warning', source: '10.0.0.1', detector: 'port-scan' },
      annotations: {
        summary: '10.0.0.1 probed 80 distinct ports',
        windowStart: '2026-01-05T09:00:00.000Z',
        windowEnd: '2026-01-05T09:05:00.000Z',
        firedAt: '2026-01-05T09:00:42.000Z',
        evidence_distinctDstPorts: '80',
        evidence_threshold: '50',
      },
      startsAt: '2026-01-05T09:00:42.000Z',
      endsAt: '2026-01-05T09:05:00.000Z',
      generatorURL: expect.stringMatching(/^https?:\/\//),
    });
    expect((bodies[1] as { labels: { alertname: string } }).labels.alertname).toBe('NetmonSynFlood');
    expect(webhook.stats).toEqual({ posted: 2, failed: 0, dropped: 0, queued: 0 });
  });

  it('retries 5xx with backoff and delivers once the endpoint recovers', async () => {
    server = await startWebhookServer((n) => (n < 2 ? 503 : 200));
    const errors: string[] = [];
    const webhook = new AlertWebhook({ url: server.url, retry: fastRetry, onError: (m) => errors.push(m) });
    webhook.enqueue(alert(1));
    await webhook.close();
    expect(server.received).toHaveLength(3);
    expect(webhook.stats.posted).toBe(1);
    expect(errors.filter((e) => e.includes('HTTP 503'))).toHaveLength(2);
  });

  it('gives up on a 4xx at once, and after maxAttempts on 5xx, counting the failed alerts', async () => {
    server = await startWebhookServer((n) => (n === 0 ? 400 : 500));
    const webhook = new AlertWebhook({ url: server.url, retry: fastRetry, maxBatch: 1 });
    webhook.enqueue(alert(1));
    webhook.enqueue(alert(2));
    await webhook.close();
    // alert 1: one 400; alert 2: four 500s.
    expect(server.received).toHaveLength(1 + fastRetry.maxAttempts);
    expect(webhook.stats).toMatchObject({ posted: 0, failed: 2 });
  });

  it('never blocks and never grows past its bound: the oldest queued alerts are dropped and counted', async () => {
    server = await startWebhookServer(() => 'hang');
    const webhook = new AlertWebhook({
      url: server.url,
      retry: fastRetry,
      maxQueued: 3,
      maxBatch: 1,
      timeoutMs: 200,
    });
    for (let i = 0; i < 10; i++) webhook.enqueue(alert(i));
    // One alert is in flight, three wait, six were dropped.
    expect(webhook.stats).toMatchObject({ dropped: 6, queued: 3 });
    await webhook.close(100);
  });

  it('sends URL credentials as Basic auth and never shows them in messages', async () => {
    server = await startWebhookServer((n) => (n === 0 ? 503 : 200));
    const errors: string[] = [];
    const url = server.url.replace('http://', 'http://alice:s3cr3t-pw@') + '?token=tok-123456';
    const webhook = new AlertWebhook({ url, retry: fastRetry, onError: (m) => errors.push(m) });
    webhook.enqueue(alert(1));
    await webhook.close();
    expect(server.received[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from('alice:s3cr3t-pw').toString('base64')}`,
    );
    expect(webhook.displayUrl).not.toContain('s3cr3t-pw');
    expect(webhook.displayUrl).not.toContain('tok-123456');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).not.toContain('s3cr3t-pw');
      expect(e).not.toContain('tok-123456');
    }
  });
});
