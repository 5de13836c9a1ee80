import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { SinkConnector } from '../../../src/runtime/connector.js';
import { ProductionError } from '../../../src/runtime/errors.js';
import { awaitSinkRecovery, isRetriableSinkFailure } from '../../../src/runtime/sink-recovery.js';
import { KeepingSink, Outage } from '../../helpers/keeping-sink.js';

function appWith(sink: KeepingSink, policy: 'dead-letter' | 'skip' | 'fail') {
  const b = new StreamsBuilder();
  b.stream<string, number>('in')
    .mapValues((v) => v * 10)
    .to(sink);
  return new StreamsApp(b.build(), {
    applicationId: `sink-recovery-${policy}`,
    errors: { production: policy },
    sinkRetry: { initialDelay: 5, maxDelay: 20 },
  });
}

describe('retriable sink failures', () => {
  it.each(['dead-letter', 'skip', 'fail'] as const)(
    'under production policy %s, records a sink kept are delivered once, none dead-lettered or skipped',
    async (policy) => {
      const sink = new KeepingSink(3);
      const app = appWith(sink, policy);
      await app.start();
      const input = Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 5}`, value: i, timestamp: i }));
      app.send('in', input);
      await app.whenDone();
      await app.close();
      expect(sink.delivered.map((r) => r.value).sort((a, b) => a - b)).toEqual(
        input.map((r) => r.value * 10),
      );
      const metrics = app.metrics();
      expect(metrics.get('sink.keeping.recoveries')).toBeGreaterThanOrEqual(1);
      expect(metrics.get('dead-letters') ?? 0).toBe(0);
      expect(metrics.get('errors.production.skipped') ?? 0).toBe(0);
      expect(app.log.endOffset(`sink-recovery-${policy}-dead-letters`, 0)).toBe(0);
      expect(sink.deliveries).toBeGreaterThan(3);
    },
  );

  it('a non-retriable failure still goes through the production door', async () => {
    const b = new StreamsBuilder();
    const failing: SinkConnector<string, number> = {
      name: 'broken',
      async write() {
        throw new Error('schema mismatch');
      },
      async flush() {},
    };
    b.stream<string, number>('in').to(failing);
    const app = new StreamsApp(b.build(), { applicationId: 'sink-broken', errors: { production: 'skip' } });
    await app.start();
    app.send('in', [{ key: 'a', value: 1, timestamp: 1 }]);
    await app.whenDone();
    await app.close();
    expect(app.metrics().get('errors.production.skipped')).toBe(1);
  });

  it('stops waiting with a clear error when the app shuts down during the outage', async () => {
    const sink = new KeepingSink(Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    const attempts: number[] = [];
    const waiting = awaitSinkRecovery(sink as SinkConnector<unknown, unknown>, new Outage('down'), {
      signal: controller.signal,
      initialDelayMs: 1,
      maxDelayMs: 2,
      onRetry: (_sink, attempt) => {
        attempts.push(attempt);
        if (attempt === 3) controller.abort();
      },
    });
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProductionError);
    expect((error as Error).message).toMatch(/Sink "keeping" had not recovered when the app stopped/);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('recognises retriable failures by their `retriable` flag only', () => {
    expect(isRetriableSinkFailure(new Outage('x'))).toBe(true);
    expect(isRetriableSinkFailure(new Error('x'))).toBe(false);
    expect(isRetriableSinkFailure({ retriable: 'yes' })).toBe(false);
    expect(isRetriableSinkFailure(undefined)).toBe(false);
  });
});
