/** A sink that fails retriably on Kafka: the app waits for it; nothing is dead-lettered or lost. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import { brokers, uniqueName } from '../../helpers/kafka.js';
import { KeepingSink } from '../../helpers/keeping-sink.js';
import { createTopic, produce, recentBase } from './kafka-test-io.js';

describe('StreamsApp on Kafka: a sink recovering from an outage', () => {
  it.each(['at-least-once', 'exactly-once'] as const)(
    '%s: records the sink kept are all delivered, the production door stays shut',
    async (guarantee) => {
      const input = await createTopic('sink-outage', 2);
      const t0 = recentBase();
      const values = Array.from({ length: 200 }, (_, i) => i);
      await produce(
        input,
        values.map((i) => ({ key: `k${i % 7}`, value: JSON.stringify(i), timestamp: t0 + i })),
      );
      const sink = new KeepingSink(4);
      const retries: number[] = [];
      const b = new StreamsBuilder();
      b.stream<string, number>(input, { key: stringSerde, value: jsonSerde<number>() })
        .mapValues((v) => v + 1000)
        .to(sink);
      const app = new StreamsApp(b.build(), {
        applicationId: uniqueName('sink-outage'),
        stateDir: mkdtempSync(join(tmpdir(), 'tributary-sink-outage-')),
        kafka: { brokers: brokers(), guarantee },
        errors: { production: 'dead-letter' },
        commitIntervalMs: 200,
        sinkRetry: { initialDelay: 20, maxDelay: 100, onRetry: (_sink, attempt) => retries.push(attempt) },
      });
      await app.start();
      await app.whenDone();
      await app.close();
      // Connector sinks are at-least-once in both modes (a rebalance may redo a batch): what counts
      // here is that every record arrives and none goes through the production door.
      expect([...new Set(sink.delivered.map((r) => r.value))].sort((a, z) => a - z)).toEqual(
        values.map((v) => v + 1000),
      );
      expect(retries.length).toBeGreaterThanOrEqual(1);
      const metrics = app.metrics();
      expect(metrics.get('sink.keeping.recoveries')).toBeGreaterThanOrEqual(1);
      expect(metrics.get('errors.production.dead-lettered') ?? 0).toBe(0);
      expect(metrics.get('dead-letters') ?? 0).toBe(0);
    },
  );
});
