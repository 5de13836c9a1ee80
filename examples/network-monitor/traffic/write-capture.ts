/**
 * Writes a generated capture to disk: the pcap, and beside it (optionally) the labels as JSON with
 * the options that produced them, so a capture file always says what it contains.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type GeneratedTraffic, generateTraffic, type TrafficOptions } from './generate.js';
import type { TrafficLabel } from './labels.js';
import { writePcapFrom } from './pcap/file.js';

/** The labels file: what was generated, how, and the ground truth. */
export interface LabelsFile {
  /** The pcap these labels describe (file name only). */
  readonly capture: string;
  /** Packets in the capture. */
  readonly packets: number;
  /** The generator options (regenerate with them to get the same bytes). */
  readonly options: TrafficOptions;
  readonly labels: readonly TrafficLabel[];
}

/** Indented JSON with arrays of plain values on one line (the repository's formatter's style). */
function formatJson(value: unknown): string {
  const indented = JSON.stringify(value, null, 2);
  return `${indented.replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, items: string) => `[${items.split(/,\s+/).join(', ')}]`)}\n`;
}

/** Generates `options` into `pcapFile` (and `labelsFile` when given); returns the labels file's content. */
export function writeCapture(options: TrafficOptions, pcapFile: string, labelsFile?: string): LabelsFile {
  const traffic: GeneratedTraffic = generateTraffic(options);
  const packets = writePcapFrom(pcapFile, traffic.packets());
  const content: LabelsFile = { capture: basename(pcapFile), packets, options, labels: traffic.labels };
  if (labelsFile !== undefined) writeFileSync(labelsFile, formatJson(content));
  return content;
}
