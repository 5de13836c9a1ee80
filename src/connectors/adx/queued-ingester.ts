/**
 * Queued ingestion through azure-kusto-ingest: the batch is gzipped, uploaded to one of the
 * cluster's temporary blob containers, and announced on one of its ingestion queues; the data
 * management service then ingests it (in ADX's own batches, so rows appear after its batching
 * delay). This is the volume path.
 *
 * The SDK fetches the containers and queues with `.get ingestion resources` and the
 * authorization context with `.get kusto identity token` from the data management endpoint
 * ("ingest-" + cluster host; loopback and IP hosts are used as given).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { BlobDescriptor, DataFormat, IngestClient, type IngestionProperties } from 'azure-kusto-ingest';

/** The SDK's ingestion-properties fields (its input type is not exported). */
type IngestionPropertiesFields = Partial<
  Pick<
    IngestionProperties,
    | 'database'
    | 'table'
    | 'format'
    | 'flushImmediately'
    | 'ingestionMappingReference'
    | 'ingestByTags'
    | 'ingestIfNotExists'
  >
>;

import { type AdxAuth, toConnectionStringBuilder } from './auth.js';
import type { SealedBatch } from './batch.js';
import type { AdxIngester, AdxTarget } from './ingester.js';

const gzip = promisify(gzipCallback);

/** Maps the sink's format names onto the SDK's enum. */
export const SDK_FORMAT: Record<AdxTarget['format'], DataFormat> = {
  json: DataFormat.JSON,
  multijson: DataFormat.MULTIJSON,
  csv: DataFormat.CSV,
};

/** Options of the queued transport. */
export interface QueuedIngesterOptions {
  /** Cluster URL; the SDK derives the data management endpoint from it. */
  readonly clusterUrl: string;
  /** Data management endpoint, when it is not "ingest-" + the cluster host. */
  readonly ingestUrl?: string | undefined;
  readonly auth: AdxAuth;
  /** Send `ingest-by` tags and `ingestIfNotExists` so a re-sent batch is not ingested twice. */
  readonly deduplicate: boolean;
  /** Ask the service to skip its own aggregation (lower latency, more, smaller extents). */
  readonly flushImmediately: boolean;
}

/** Queued ingestion (blob + queue message) of sealed batches. */
export class QueuedIngester implements AdxIngester {
  readonly mode = 'queued';
  private readonly client: IngestClient;

  constructor(
    private readonly target: AdxTarget,
    private readonly options: QueuedIngesterOptions,
  ) {
    const url = options.ingestUrl ?? options.clusterUrl;
    // autoCorrectEndpoint only when we derive the DM endpoint from the cluster URL ourselves.
    this.client = new IngestClient(
      toConnectionStringBuilder(url, options.auth),
      undefined,
      !options.ingestUrl,
    );
  }

  async ingest(batch: SealedBatch): Promise<void> {
    const compressed = await gzip(batch.payload);
    // A name derived from the batch id: a retried upload overwrites the same blob.
    const blobName = `${this.target.database}__${this.target.table}__${batch.id}.${this.target.format}.gz`;
    const blobUri = await this.client.uploadToBlobWithRetry(toArrayBuffer(compressed), blobName);
    await this.client.ingestFromBlob(
      new BlobDescriptor(blobUri, batch.payload.length, batch.id),
      this.properties(batch),
    );
  }

  close(): void {
    this.client.close();
  }

  private properties(batch: SealedBatch): IngestionPropertiesFields {
    const props: IngestionPropertiesFields = {
      database: this.target.database,
      table: this.target.table,
      format: SDK_FORMAT[this.target.format],
      flushImmediately: this.options.flushImmediately,
    };
    if (this.target.mappingName) props.ingestionMappingReference = this.target.mappingName;
    if (this.options.deduplicate) {
      props.ingestByTags = [batch.tag];
      props.ingestIfNotExists = JSON.stringify([batch.tag]);
    }
    return props;
  }
}

/** An ArrayBuffer holding exactly `bytes` (the SDK's upload accepts ArrayBuffer, not Buffer). */
export function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
