/**
 * The monitor's topics. A prefix (`--topic-prefix`) namespaces all of them, so several monitors (or
 * test runs) can share one cluster; nothing else ever names a topic, and nothing in a packet can.
 */
import { type DefaultPacketLayer, defaultPacketTopics } from '../../../src/connectors/tshark/index.js';

/** The topics one monitor reads and writes. */
export interface MonitorTopics {
  /** Captured packets, keyed by source IP: the capture writes it, routing and monitoring read it. */
  readonly packets: string;
  /** Alerts after the gate. */
  readonly alerts: string;
  /** One topic per top protocol layer (routing's outputs). */
  readonly layers: Readonly<Record<DefaultPacketLayer, string>>;
}

/** The topics under `prefix` (default none: `network-packets`, `alerts`, `packets.<layer>`). */
export function monitorTopics(prefix = ''): MonitorTopics {
  const layers = Object.fromEntries(
    Object.entries(defaultPacketTopics).map(([layer, topic]) => [layer, `${prefix}${topic}`]),
  ) as Record<DefaultPacketLayer, string>;
  return { packets: `${prefix}network-packets`, alerts: `${prefix}alerts`, layers };
}
