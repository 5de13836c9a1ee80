/**
 * The workload of the broker fault tests: flows keyed by source, counted per host in 10 s windows
 * (a key change, so a repartition topic and a changelog too), and the reference those counts must reach.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { expect } from 'vitest';
import { StreamsBuilder } from '../../../src/dsl/streams-builder.js';
import { windows } from '../../../src/operators/windows/window-specs.js';
import type { AppState } from '../../../src/runtime/app/app-state.js';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import type { Windowed } from '../../../src/runtime/record.js';
import { jsonSerde, stringSerde } from '../../../src/runtime/serde.js';
import type { Topology } from '../../../src/runtime/topology/topology.js';
import { type ReadRecord, readTopic, type TestMessage } from './kafka-test-io.js';
import { recordCount } from './own-broker.js';

interface Flow {
  host: string;
}

const HOSTS = 13;
const WINDOW_MS = 10_000;

/** Counts flows per host and 10 s window from `input` into `output` (key: Windowed<string>, value: count). */
export function flowCountTopology(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  b.stream<string | null, Flow>(input, { key: stringSerde, value: jsonSerde<Flow>() })
    .groupBy((_, flow) => flow.host)
    .windowedBy(windows.tumbling({ size: '10s', grace: '1h' }))
    .count({ name: 'flows-per-host' })
    .toStream()
    .to(output, { key: jsonSerde<Windowed<string>>(), value: jsonSerde<number>() });
  return b.build();
}

/** Chunk `n` of the input: `size` flows, 20 ms of event time apart, from a fixed base time. */
export function flowChunk(base: number, size: number): (n: number) => TestMessage[] {
  return (n) =>
    Array.from({ length: size }, (_, j) => {
      const i = n * size + j;
      return {
        key: `src-${i % 7}`,
        value: JSON.stringify({ host: `10.0.0.${i % HOSTS}` } satisfies Flow),
        timestamp: base + i * 20,
      };
    });
}

/**
 * Reads `output` until the latest count of every window equals `expected` (or `timeoutMs` passes);
 * returns the latest count per "host@windowStart" and how many output records were read.
 */
export async function latestCounts(
  kafka: Kafka,
  output: string,
  expected: ReadonlyMap<string, number>,
  timeoutMs = 30_000,
): Promise<{ latest: Map<string, number>; read: ReadRecord[] }> {
  const latest = new Map<string, number>();
  const read = await readTopic(
    output,
    (rs) => {
      const r = rs[rs.length - 1]!;
      const key = JSON.parse(r.key!) as Windowed<string>;
      latest.set(`${key.key}@${key.window.start}`, JSON.parse(r.value!) as number);
      return latest.size === expected.size && [...expected].every(([k, v]) => latest.get(k) === v);
    },
    timeoutMs,
    kafka,
  );
  return { latest, read };
}

/** Reads every record of `input` back and counts them per host and window: what the app must output. */
export async function referenceCounts(kafka: Kafka, input: string): Promise<Map<string, number>> {
  const total = await recordCount(kafka, input);
  const records = await readTopic(input, (rs) => rs.length >= total, 30_000, kafka);
  if (records.length < total) throw new Error(`read ${records.length} of ${total} input records back`);
  const counts = new Map<string, number>();
  for (const r of records) {
    const flow = JSON.parse(r.value!) as Flow;
    const name = `${flow.host}@${r.timestamp - (r.timestamp % WINDOW_MS)}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Polls `check` every 100 ms; fails after `timeoutMs` with `what` and whatever `explain` says. */
export async function waitUntil(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  explain: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${explain()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The app's state, state history, input count and error, for failure messages. */
export function describeApp(app: StreamsApp, states: readonly AppState[]): string {
  return (
    `(state ${app.state}, states ${states.join(' > ')}, records.in ${app.metrics().get('records.in') ?? 0}, ` +
    `error: ${app.error?.stack ?? 'none'})`
  );
}

/** An at-least-once app counting flows from `input` to `output` on `bootstrap`, and the states it goes through. */
export function flowCountApp(
  bootstrap: string,
  input: string,
  output: string,
  applicationId: string,
  replicationFactor?: number,
): { app: StreamsApp; states: AppState[] } {
  const app = new StreamsApp(flowCountTopology(input, output), {
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), `tributary-${applicationId}-`)),
    commitIntervalMs: 200,
    kafka: {
      brokers: bootstrap.split(','),
      ...(replicationFactor !== undefined ? { replicationFactor } : {}),
    },
  });
  const states: AppState[] = [];
  app.onStateChange((next) => states.push(next));
  return { app, states };
}

/** Input records the app has processed so far (both sub-topologies). */
export function recordsIn(app: StreamsApp): number {
  return app.metrics().get('records.in') ?? 0;
}

/**
 * The at-least-once contract on per-window counts: every window of the input is there and none is
 * short of its input; a window may count more (records processed since the last commit are processed
 * again when the group re-admits this instance as a new member, and a retried send of a non-idempotent
 * producer can land twice). Exact counts under faults are what exactly-once is for.
 */
export function expectNoWindowShort(latest: Map<string, number>, expected: Map<string, number>): void {
  expect([...latest.keys()].sort()).toEqual([...expected.keys()].sort());
  const short = [...expected].filter(([window, n]) => (latest.get(window) ?? 0) < n);
  expect(short, 'windows that lost records').toEqual([]);
}
