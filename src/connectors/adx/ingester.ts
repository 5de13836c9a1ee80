/**
 * The transport behind the sink: one call per sealed batch. Two implementations ship (queued and
 * streaming ingestion through the official SDK); the interface also lets tests and custom
 * transports plug in.
 */
import type { SealedBatch } from './batch.js';
import type { AdxDataFormat } from './row-format.js';

/** Where every batch of one sink goes. */
export interface AdxTarget {
  readonly database: string;
  readonly table: string;
  readonly format: AdxDataFormat;
  /** Name of an ingestion mapping already defined on the table, if any. */
  readonly mappingName: string | undefined;
}

/** Sends sealed batches to ADX. `ingest` rejects with the SDK's error; the sink classifies it. */
export interface AdxIngester {
  /** "queued" or "streaming" (or a custom transport's name), for messages. */
  readonly mode: string;
  ingest(batch: SealedBatch): Promise<void>;
  /** Releases HTTP agents and clients. */
  close(): void;
}
