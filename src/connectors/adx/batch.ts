/**
 * Accumulates encoded rows into one ingestion and gives it a deterministic identity.
 *
 * The identity is a SHA-256 over the target (database, table, format, mapping), each row's origin
 * (topic/partition/offset when the record has one) and each encoded line. The same rows re-sent
 * after a crash or a retry therefore carry the same id and the same `ingest-by` tag, and
 * `ingestIfNotExists` makes ADX skip them the second time.
 */
import { createHash, type Hash } from 'node:crypto';
import type { RecordOrigin } from '../../runtime/record.js';
import type { AdxRow } from './row-format.js';

/** A closed batch, ready to ingest (and to retry with the same identity). */
export interface SealedBatch {
  /** UUID (v4-shaped, as the SDK requires for source ids) derived from the content hash. */
  readonly id: string;
  /** Deduplication tag: sent as `ingest-by:<tag>` plus `ingestIfNotExists: ["<tag>"]`. */
  readonly tag: string;
  /** The row objects, for the dead-letter door. */
  readonly rows: ReadonlyArray<AdxRow>;
  /** The uncompressed payload: encoded lines, each ending in "\n". */
  readonly payload: Buffer;
}

/** Prefix of every deduplication tag the sink writes, so they are easy to find in `.show extents`. */
export const DEDUP_TAG_PREFIX = 'tributary-';

/** Collects rows for one ingestion; `seal()` closes it and starts over. */
export class BatchBuilder {
  private rowsSoFar: AdxRow[] = [];
  private lines: string[] = [];
  private byteCount = 0;
  private hash: Hash | undefined;
  private openedAt = 0;

  /** `target` names where the batch goes; it is part of the identity. */
  constructor(private readonly target: string) {}

  /** Rows added since the last seal. */
  get rowCount(): number {
    return this.rowsSoFar.length;
  }

  /** Payload bytes added since the last seal (UTF-8, line breaks included). */
  get bytes(): number {
    return this.byteCount;
  }

  /** `Date.now()` when the first row of this batch was added (0 when empty). */
  get openedAtMs(): number {
    return this.openedAt;
  }

  /** Adds an encoded row; `lineBytes` is `Buffer.byteLength(line)`, already computed by the caller. */
  add(row: AdxRow, line: string, lineBytes: number, origin: RecordOrigin | undefined, nowMs: number): void {
    if (this.hash === undefined) {
      this.hash = createHash('sha256').update(this.target).update('\0');
      this.openedAt = nowMs;
    }
    if (origin) this.hash.update(`${origin.topic}\0${origin.partition}\0${origin.offset}\0`);
    this.hash.update(line).update('\n');
    this.rowsSoFar.push(row);
    this.lines.push(line);
    this.byteCount += lineBytes + 1;
  }

  /** Closes the current batch (which must not be empty) and resets the builder. */
  seal(): SealedBatch {
    if (this.hash === undefined) throw new Error('BatchBuilder.seal() called on an empty batch');
    const digest = this.hash.digest();
    const batch: SealedBatch = {
      id: uuidFromDigest(digest),
      tag: DEDUP_TAG_PREFIX + digest.subarray(0, 16).toString('hex'),
      rows: this.rowsSoFar,
      payload: Buffer.from(`${this.lines.join('\n')}\n`, 'utf8'),
    };
    this.rowsSoFar = [];
    this.lines = [];
    this.byteCount = 0;
    this.hash = undefined;
    this.openedAt = 0;
    return batch;
  }
}

/** Formats the first 16 digest bytes as a UUID with the v4 version and RFC 4122 variant bits. */
export function uuidFromDigest(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
