import { Kafka, logLevel } from 'kafkajs';
import { isNodeAlive, sleep } from './process.js';
import type { RunningNode } from './state.js';

/** Thrown when a node's JVM exits while we wait for it: its log explains why. */
export class NodeExitedError extends Error {
  constructor(readonly node: RunningNode) {
    super(`Kafka node ${node.nodeId} (pid ${node.pid}) exited while starting.`);
  }
}

/**
 * Resolves once the cluster answers at `bootstrap` with a controller and every broker of `expectedIds`
 * registered and unfenced. Fails fast with NodeExitedError when a node of `watch` exits, and with a
 * timeout error (naming the last thing the client saw) at `deadline`.
 */
export async function waitForBrokers(
  bootstrap: string,
  expectedIds: number[],
  deadline: number,
  watch: RunningNode[],
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tributary-broker-check',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  let lastSeen = 'no answer yet';
  while (Date.now() < deadline) {
    for (const node of watch) if (!isNodeAlive(node)) throw new NodeExitedError(node);
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      const registered = new Set(cluster.brokers.map((b) => b.nodeId));
      const missing = expectedIds.filter((id) => !registered.has(id));
      if (missing.length === 0 && cluster.controller !== null) return;
      lastSeen =
        missing.length > 0
          ? `brokers ${[...registered].sort().join(',') || 'none'} registered, waiting for ${missing.join(',')}`
          : 'no active controller yet';
    } catch (error) {
      lastSeen = (error as Error).message;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(`Kafka did not answer at ${bootstrap} in time (last seen: ${lastSeen}).`);
}
