/**
 * Writes a labelled network capture for the monitor: the demo's by default.
 *
 *   npx tsx scripts/generate-capture.ts --out FILE.pcap [--labels FILE.json] [--preset demo|e2e]
 *     [--seed N] [--duration SECONDS] [--rate PACKETS_PER_SECOND] [--hosts N] [--normal-only]
 *
 * Regenerate the bundled demo capture (byte for byte the committed one):
 *   npx tsx scripts/generate-capture.ts --out examples/network-monitor/data/demo.pcap \
 *     --labels examples/network-monitor/data/demo.labels.json
 *
 * --duration rescales the preset's anomaly times to the new length.
 */
import { parseArgs } from 'node:util';
import {
  DEMO_CAPTURE,
  E2E_CAPTURE,
  normalOnly,
  type TrafficOptions,
  writeCapture,
} from '../examples/network-monitor/traffic/index.js';

const USAGE =
  'usage: generate-capture --out FILE.pcap [--labels FILE.json] [--preset demo|e2e] [--seed N] [--duration S] [--rate PPS] [--hosts N] [--normal-only]';

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number (got "${value}")\n${USAGE}`);
  return n;
}

/** The generator options the command line asks for. */
function optionsFrom(values: Record<string, string | boolean | undefined>): TrafficOptions {
  const presetName = (values.preset as string | undefined) ?? 'demo';
  const preset = presetName === 'demo' ? DEMO_CAPTURE : presetName === 'e2e' ? E2E_CAPTURE : undefined;
  if (!preset) throw new Error(`--preset must be "demo" or "e2e" (got "${presetName}")\n${USAGE}`);
  const seed = values.seed === undefined ? preset.seed : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (got "${values.seed}")\n${USAGE}`);
  const durationS = positive('duration', values.duration as string | undefined) ?? preset.durationS;
  const scale = durationS / preset.durationS;
  const options: TrafficOptions = {
    ...preset,
    seed,
    durationS,
    packetsPerSecond: positive('rate', values.rate as string | undefined) ?? preset.packetsPerSecond,
    normalHosts: positive('hosts', values.hosts as string | undefined) ?? preset.normalHosts,
    anomalies: preset.anomalies.map((a) => ({ ...a, atS: a.atS * scale })),
  };
  return values['normal-only'] ? normalOnly(options) : options;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      labels: { type: 'string' },
      preset: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      hosts: { type: 'string' },
      'normal-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.out === undefined) throw new Error(`--out FILE.pcap is required\n${USAGE}`);
  const options = optionsFrom(values);
  const written = writeCapture(options, values.out, values.labels);
  console.log(
    `${values.out}: ${written.packets} packets, ${written.labels.length} labels${values.labels ? ` (${values.labels})` : ''}`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`generate-capture: ${(error as Error).message}`);
  process.exitCode = 2;
}
