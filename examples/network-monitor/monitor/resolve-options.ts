/**
 * Defaults and validation of the monitor's options: every problem is reported with the option's
 * path, the value given and what would be accepted.
 */
import { defaultPacketTopics } from '../../../src/connectors/tshark/layer-routing.js';
import { type Duration, toMillis } from '../../../src/runtime/duration.js';
import { TributaryError } from '../../../src/runtime/errors.js';
import type { MonitorConfig, MonitorOptions } from './options.js';

/** An option of the network monitor is missing a sensible value. */
export class MonitorOptionsError extends TributaryError {
  override readonly name = 'MonitorOptionsError';
}

/** The defaults, as documented on each option. */
export const defaultMonitorOptions = {
  window: { size: '5m', advance: '1m', grace: '30s' },
  packetRate: { maxPackets: 1000 },
  slowResponse: { maxAvgResponseMs: 5000 },
  portScan: { minDistinctPorts: 30 },
  synFlood: { minSyns: 100, maxAnsweredRatio: 0.2, minSynsPerPort: 4 },
  dnsNxdomain: { minNxdomain: 10 },
  trafficSpike: {
    alpha: 0.2,
    warmupWindows: 3,
    minZScore: 4,
    minRatio: 6,
    minPackets: 500,
    forgetAfter: '1d',
  },
  criticalFactor: 2,
  name: 'netmon',
  store: 'memory',
} as const satisfies MonitorOptions;

/** Fills in the defaults and checks every value; throws a {@link MonitorOptionsError} naming the option. */
export function resolveMonitorOptions(options: MonitorOptions = {}): MonitorConfig {
  const d = defaultMonitorOptions;
  const sizeMs = duration('window.size', options.window?.size ?? d.window.size);
  const advanceMs = duration('window.advance', options.window?.advance ?? d.window.advance);
  const graceMs = duration('window.grace', options.window?.grace ?? d.window.grace);
  if (sizeMs <= 0) fail('window.size', sizeMs, 'a duration above zero, e.g. "5m"');
  if (advanceMs <= 0 || advanceMs > sizeMs) {
    fail(
      'window.advance',
      advanceMs,
      `a duration above zero and at most window.size (${sizeMs} ms), e.g. "1m"`,
    );
  }
  const spike = options.trafficSpike ?? {};
  const name = options.name ?? d.name;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) fail('name', name, 'letters, digits, ".", "_" or "-" only');
  const topics = { ...defaultPacketTopics, ...options.topics };
  for (const [layer, topic] of Object.entries(topics)) {
    if (typeof topic !== 'string' || topic === '') fail(`topics.${layer}`, topic, 'a topic name');
  }
  return {
    window: { sizeMs, advanceMs, graceMs },
    topics,
    packetRate: {
      maxPackets: count('packetRate.maxPackets', options.packetRate?.maxPackets ?? d.packetRate.maxPackets),
    },
    slowResponse: {
      maxAvgResponseMs: positive(
        'slowResponse.maxAvgResponseMs',
        options.slowResponse?.maxAvgResponseMs ?? d.slowResponse.maxAvgResponseMs,
      ),
    },
    portScan: {
      minDistinctPorts: count(
        'portScan.minDistinctPorts',
        options.portScan?.minDistinctPorts ?? d.portScan.minDistinctPorts,
      ),
    },
    synFlood: {
      minSyns: count('synFlood.minSyns', options.synFlood?.minSyns ?? d.synFlood.minSyns),
      maxAnsweredRatio: fraction(
        'synFlood.maxAnsweredRatio',
        options.synFlood?.maxAnsweredRatio ?? d.synFlood.maxAnsweredRatio,
      ),
      minSynsPerPort: positive(
        'synFlood.minSynsPerPort',
        options.synFlood?.minSynsPerPort ?? d.synFlood.minSynsPerPort,
      ),
    },
    dnsNxdomain: {
      minNxdomain: count(
        'dnsNxdomain.minNxdomain',
        options.dnsNxdomain?.minNxdomain ?? d.dnsNxdomain.minNxdomain,
      ),
    },
    trafficSpike: {
      alpha: fraction('trafficSpike.alpha', spike.alpha ?? d.trafficSpike.alpha, true),
      warmupWindows: count('trafficSpike.warmupWindows', spike.warmupWindows ?? d.trafficSpike.warmupWindows),
      minZScore: positive('trafficSpike.minZScore', spike.minZScore ?? d.trafficSpike.minZScore),
      minRatio: positive('trafficSpike.minRatio', spike.minRatio ?? d.trafficSpike.minRatio),
      minPackets: count('trafficSpike.minPackets', spike.minPackets ?? d.trafficSpike.minPackets),
      forgetAfterMs: duration('trafficSpike.forgetAfter', spike.forgetAfter ?? d.trafficSpike.forgetAfter),
    },
    alertGate: {
      cooldownMs:
        options.alertGate?.cooldown === undefined
          ? advanceMs
          : duration('alertGate.cooldown', options.alertGate.cooldown),
    },
    criticalFactor: atLeastOne('criticalFactor', options.criticalFactor ?? d.criticalFactor),
    idleCloseMs: options.idleClose === undefined ? undefined : duration('idleClose', options.idleClose),
    name,
    store: options.store ?? d.store,
  };
}

function fail(path: string, value: unknown, expected: string): never {
  throw new MonitorOptionsError(
    `Network monitor option ${path} is ${JSON.stringify(value)}; expected ${expected}.`,
  );
}

function duration(path: string, value: Duration): number {
  try {
    return toMillis(value, path);
  } catch {
    return fail(path, value, 'a duration: milliseconds, or text such as "500ms", "30s", "5m", "1h"');
  }
}

function count(path: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) fail(path, value, 'a whole number of at least 1');
  return value;
}

function positive(path: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) fail(path, value, 'a number above zero');
  return value;
}

function atLeastOne(path: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) fail(path, value, 'a number of at least 1');
  return value;
}

function fraction(path: string, value: number, excludeZero = false): number {
  const ok = Number.isFinite(value) && value <= 1 && (excludeZero ? value > 0 : value >= 0);
  if (!ok) fail(path, value, excludeZero ? 'a number above 0 and at most 1' : 'a number from 0 to 1');
  return value;
}
