/**
 * Runs the monitor (roles `all` and `process`): opens the stores, builds the topology with its
 * live taps, starts the StreamsApp (embedded, or on Kafka with `--brokers`), serves metrics, shows
 * the view, and stops at the end of a pcap, after `--duration`, or on SIGINT/SIGTERM. Returns the
 * run's summary; throws (after closing everything) when the run failed.
 */
import { basename } from 'node:path';
import { Registry } from 'prom-client';
import { StreamsApp } from '../../../src/runtime/app/streams-app.js';
import { attachDashboard } from '../dashboard/attach-dashboard.js';
import { type DashboardFlags, NO_DASHBOARD } from '../dashboard/dashboard-flags.js';
import type { Alert } from '../types.js';
import { alertFanout } from './alert-fanout.js';
import { AlertWebhook } from './alert-webhook.js';
import { capturePacketCount } from './capture-size.js';
import type { NetmonConfig } from './cli-options.js';
import { startMetricsServer } from './metrics-server.js';
import { buildMonitorTopology } from './monitor-topology.js';
import { NetmonMetrics } from './netmon-metrics.js';
import { openResultStores } from './result-stores.js';
import { type RunSummary, summarize } from './run-summary.js';
import { SnapshotProducer } from './snapshot-producer.js';
import { waitForStop } from './stop-signal.js';
import { monitorTopics } from './topic-names.js';
import { attachView, type MonitorIo } from './views.js';

/** Wall time a quiet partition waits before its windows close (a replay: its end; live: a lull). */
function idleCloseOf(config: NetmonConfig): number {
  if (config.input?.kind !== 'pcap') return 30_000;
  return config.brokers ? 5000 : 1500;
}

/**
 * After a replay, how long the dashboard keeps serving before the run ends: long enough for open
 * pages to get the last snapshot (pushed every 250 ms) and finish what they were asking.
 */
const DASHBOARD_LINGER_MS = 2000;

function lingerForDashboard(dashboard: DashboardFlags): Promise<void> {
  if (dashboard.server === undefined) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, DASHBOARD_LINGER_MS));
}

/** A short name of the input for the view. */
export function inputLabel(config: NetmonConfig): string {
  if (config.input === undefined)
    return `${monitorTopics(config.topicPrefix).packets} on Kafka (${config.applicationId})`;
  return config.input.kind === 'pcap' ? basename(config.input.file) : `live: ${config.input.name}`;
}

/** Runs routing + monitoring until the input ends or the run is stopped. */
export async function runMonitor(
  config: NetmonConfig,
  io: MonitorIo,
  dashboard: DashboardFlags = NO_DASHBOARD,
): Promise<RunSummary> {
  const startedAt = Date.now();
  const topics = monitorTopics(config.topicPrefix);
  const registry = new Registry();
  const live = config.input?.kind === 'interface';
  let app: StreamsApp | undefined;
  let kafkaLag = 0;
  const snapshot = new SnapshotProducer({
    windowMs: config.windowMs,
    advanceMs: config.advanceMs,
    packetsTotal: config.input?.kind === 'pcap' ? await capturePacketCount(config.input.file) : undefined,
    pipeline: {
      consumerLag: () => (config.brokers ? kafkaLag : embeddedLag(app, config.applicationId, topics.packets)),
      deadLetters: () => app?.metrics().get('dead-letters') ?? 0,
    },
  });
  const view = attachView(snapshot, io, { tty: config.tty, inputLabel: inputLabel(config), startedAt });
  const webhook = config.webhook
    ? new AlertWebhook({ url: config.webhook, onError: (line) => io.stderr.write(`${line}\n`) })
    : undefined;
  const stores = await openResultStores({ duckdb: config.duckdb, freshDuckdb: config.demo, adx: config.adx });
  let packetsSeen = 0;
  const { topology } = buildMonitorTopology({
    input: config.input,
    topics,
    windowMs: config.windowMs,
    advanceMs: config.advanceMs,
    graceMs: config.graceMs,
    idleCloseMs: idleCloseOf(config),
    partitions: config.partitions,
    onPacket: (packet) => {
      snapshot.observePacket(packet.topLayer, packet.length, packet.timestamp);
      if (live && (++packetsSeen & 255) === 0) snapshot.setProcessLatency(Date.now() - packet.timestamp);
    },
    onStats: (stats) => snapshot.observeStats(stats),
    statsSinks: stores.statsSinks,
    alertSinks: [
      ...stores.alertSinks,
      alertFanout(
        [
          (a) => snapshot.observeAlert(a),
          view.onAlert,
          ...(webhook ? [(a: Alert) => webhook.enqueue(a)] : []),
        ],
        (error) => io.stderr.write(`alert listener failed: ${(error as Error).message}\n`),
      ),
    ],
  });
  app = new StreamsApp(topology, {
    applicationId: config.applicationId,
    stateDir: config.stateDir,
    ...(config.brokers
      ? {
          partitions: config.partitions,
          kafka: {
            brokers: config.brokers,
            metricsRegistry: registry,
            createSourceTopics: true,
            guarantee: config.exactlyOnce ? 'exactly-once' : 'at-least-once',
          },
        }
      : {}),
  });
  const metrics = new NetmonMetrics({ registry, partitions: config.partitions });
  snapshot.onSnapshot((s) => metrics.update(s, snapshot.bytesByLayer()));
  const lagPoll = config.brokers
    ? setInterval(() => void kafkaLagOf(registry, topics.packets).then((l) => (kafkaLag = l)), 1000)
    : undefined;
  const metricsServer = config.metrics
    ? await startMetricsServer(registry, config.metrics.host, config.metrics.port)
    : undefined;
  if (metricsServer) view.info(`metrics ${metricsServer.url}`);
  if (webhook) view.info(`webhook ${webhook.displayUrl}`);
  const stop = waitForStop(config.durationMs);
  let failure: unknown;
  try {
    await attachDashboard(dashboard, snapshot, (line) => view.info(line)); // serves until snapshot.stop()
    snapshot.start(250);
    await app.start();
    const runningApp = app;
    // A failed app (a broker error, tshark dying) ends the run at once instead of idling until a signal.
    const failed = new Promise<never>((_, reject) => {
      runningApp.onStateChange((next) => {
        if (next === 'ERROR') reject(runningApp.error ?? new Error('the streams app failed'));
      });
    });
    failed.catch(() => {}); // also observed after the race (during close): not an unhandled rejection
    const ended =
      config.input?.kind !== 'pcap'
        ? new Promise<never>(() => {})
        : config.brokers
          ? runningApp.whenDone().then(async () => {
              // On Kafka input never ends: let idle close shut the last windows, then drain what that wrote.
              await new Promise((r) => setTimeout(r, idleCloseOf(config) + 500));
              await runningApp.whenDone();
            })
          : // Embedded: the replay is the whole input, so every window still open is final now.
            runningApp.endOfInput().then(() => lingerForDashboard(dashboard));
    await Promise.race([ended, failed, stop.promise]);
  } catch (error) {
    failure = error;
  } finally {
    stop.dispose();
    if (lagPoll) clearInterval(lagPoll);
    await app.close().catch((error: unknown) => (failure ??= error));
    failure ??= app.error;
    await webhook?.close();
    await stores.close().catch(() => {});
    await metricsServer?.close();
  }
  const summary = summarize(snapshot.stop(), config.duckdb, Date.now() - startedAt);
  if (failure) {
    view.finish(undefined);
    throw failure;
  }
  view.finish(summary);
  return summary;
}

/** Records of network-packets not yet committed by the embedded app. */
function embeddedLag(app: StreamsApp | undefined, applicationId: string, topic: string): number {
  if (!app?.log.hasTopic(topic)) return 0;
  let lag = 0;
  for (let p = 0; p < app.log.partitionCount(topic); p++) {
    lag += app.log.endOffset(topic, p) - app.log.committed(applicationId, topic, p);
  }
  return Math.max(0, lag);
}

/** This instance's lag on network-packets, from the runtime's `tributary_consumer_lag` gauge. */
async function kafkaLagOf(registry: Registry, topic: string): Promise<number> {
  const metric = registry.getSingleMetric('tributary_consumer_lag');
  if (!metric) return 0;
  const data = await metric.get();
  return data.values.filter((v) => v.labels.topic === topic).reduce((sum, v) => sum + v.value, 0);
}
