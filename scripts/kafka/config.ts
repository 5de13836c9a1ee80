import { scramListenerProperties } from './scram.js';

/** One node of a KRaft cluster: a combined broker + controller on loopback. */
export interface NodeSpec {
  nodeId: number;
  brokerPort: number;
  controllerPort: number;
  dataDir: string;
  /** Client port of the extra SCRAM listener (see scram.ts), when the cluster has one. */
  saslPort?: number;
}

/** Broker settings as written to server.properties: `key=value`, one a line. */
export type BrokerProperties = Record<string, string | number | boolean>;

/**
 * server.properties for one combined broker+controller node.
 * Replication of internal topics follows the cluster size, so transactions and consumer
 * groups work on a single broker (RF 1, min ISR 1) and survive one lost node of three (RF 3, min ISR 2).
 * `extra` settings are written last and win over the defaults (fault tests tune timeouts with them).
 */
export function serverProperties(node: NodeSpec, cluster: NodeSpec[], extra: BrokerProperties = {}): string {
  const size = cluster.length;
  const replication = Math.min(3, size);
  const minIsr = size >= 3 ? 2 : 1;
  const voters = cluster.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(',');
  const props: BrokerProperties = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': node.dataDir,
    // Topics are created on purpose only (tributary creates them from the topology's declared names).
    'auto.create.topics.enable': false,
    'num.partitions': 1,
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 10,
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': minIsr,
    // Tests start consumer groups right away; the default 3 s delay only slows them down.
    'group.initial.rebalance.delay.ms': 0,
    'log.segment.bytes': 64 * 1024 * 1024,
    'log.retention.check.interval.ms': 60_000,
  };
  if (node.saslPort !== undefined) Object.assign(props, scramListenerProperties(props, node.saslPort));
  for (const [key, value] of Object.entries(extra)) {
    if (/[\r\n=]/.test(key) || /[\r\n]/.test(String(value))) {
      throw new Error(
        `Broker property ${JSON.stringify(key)}=${JSON.stringify(value)} cannot be written to server.properties: ` +
          `keys cannot hold "=" or line breaks, values cannot hold line breaks.`,
      );
    }
    props[key] = value;
  }
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * A random KRaft cluster id: 16 bytes, base64url without padding (what `kafka-storage random-uuid` prints).
 * Never one that starts with "-": `kafka-storage format -t -abc…` reads it as an option and fails
 * ("expected one argument"), which broke 1 start in 64. Kafka's own Uuid.randomUuid skips those too.
 */
export function randomClusterId(): string {
  for (;;) {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
