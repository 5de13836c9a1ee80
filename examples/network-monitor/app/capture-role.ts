/**
 * `--role capture`: tshark (live or pcap) into the `network-packets` topic, keyed by source IP, and
 * nothing else; `--role process` instances do the routing and monitoring. The topic is created with
 * `--partitions` if missing (the only topic this role ever creates). Records are encoded exactly as
 * the app's own source pump encodes them (JSON), and each batch is acknowledged before the next one
 * is read, so a slow broker slows the capture instead of filling memory.
 */
import { KafkajsClient } from '../../../src/connectors/kafka/index.js';
import { tsharkSource } from '../../../src/connectors/tshark/index.js';
import { defaultTopicSerdes, encodeRecords } from '../../../src/runtime/kafka/record-codec.js';
import { capturePacketCount } from './capture-size.js';
import type { NetmonConfig } from './cli-options.js';
import { inputLabel } from './run-monitor.js';
import { type RunSummary, summarize } from './run-summary.js';
import { SnapshotProducer } from './snapshot-producer.js';
import { waitForStop } from './stop-signal.js';
import { monitorTopics } from './topic-names.js';
import { attachView, type MonitorIo } from './views.js';

/** Captures into network-packets until the pcap ends, `--duration` passes, or a signal arrives. */
export async function runCapture(config: NetmonConfig, io: MonitorIo): Promise<RunSummary> {
  const input = config.input;
  if (!config.brokers || !input) throw new Error('--role capture needs --brokers and --pcap or --interface.');
  const startedAt = Date.now();
  const topic = monitorTopics(config.topicPrefix).packets;
  const snapshot = new SnapshotProducer({
    windowMs: config.windowMs,
    advanceMs: config.advanceMs,
    packetsTotal: input.kind === 'pcap' ? await capturePacketCount(input.file) : undefined,
  });
  const view = attachView(snapshot, io, { tty: config.tty, inputLabel: inputLabel(config), startedAt });
  const client = new KafkajsClient({ brokers: config.brokers, clientId: `${config.applicationId}-capture` });
  const admin = client.admin();
  const producer = client.producer();
  const source =
    input.kind === 'pcap'
      ? tsharkSource({ file: input.file, name: 'capture' })
      : tsharkSource({ interface: input.name, name: 'capture' });
  const abort = new AbortController();
  const stop = waitForStop(config.durationMs);
  void stop.promise.then(() => abort.abort());
  let failure: unknown;
  try {
    await admin.connect();
    await admin.createTopics([{ topic, partitions: config.partitions }]);
    await producer.connect();
    snapshot.start(250);
    for await (const batch of source.batches(abort.signal)) {
      const { messages, failures } = await encodeRecords(batch, topic, defaultTopicSerdes);
      if (failures.length > 0) throw failures[0]!.error;
      await producer.send(messages);
      for (const record of batch) {
        snapshot.observePacket(record.value.topLayer, record.value.length, record.value.timestamp);
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    stop.dispose();
    await source.close().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  const summary = summarize(snapshot.stop(), undefined, Date.now() - startedAt);
  if (failure) {
    view.finish(undefined);
    throw failure;
  }
  view.finish(summary);
  return summary;
}
