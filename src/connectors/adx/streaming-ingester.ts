/**
 * Streaming ingestion through azure-kusto-ingest: each batch is one gzipped POST to
 * /v1/rest/ingest/{database}/{table}?streamFormat=...&mappingName=... on the cluster (query)
 * endpoint; rows are queryable within seconds. The table (or database) needs the streaming
 * ingestion policy enabled, and a request carries at most 4 MB of uncompressed data.
 *
 * The streaming protocol has no ingest-by tags or ingestIfNotExists, so a retried batch can be
 * ingested twice; the batch id is sent as the client request id so duplicates can be traced.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { CompressionType, StreamDescriptor, StreamingIngestClient } from 'azure-kusto-ingest';
import { type AdxAuth, toConnectionStringBuilder } from './auth.js';
import type { SealedBatch } from './batch.js';
import type { AdxIngester, AdxTarget } from './ingester.js';
import { SDK_FORMAT, toArrayBuffer } from './queued-ingester.js';

const gzip = promisify(gzipCallback);

/** The service's limit on one streaming request, uncompressed. */
export const STREAMING_MAX_BYTES = 4 * 1024 * 1024;

/** Streaming ingestion (one HTTP request per batch). */
export class StreamingIngester implements AdxIngester {
  readonly mode = 'streaming';
  private readonly client: StreamingIngestClient;

  constructor(
    private readonly target: AdxTarget,
    clusterUrl: string,
    auth: AdxAuth,
  ) {
    this.client = new StreamingIngestClient(toConnectionStringBuilder(clusterUrl, auth));
  }

  async ingest(batch: SealedBatch): Promise<void> {
    const compressed = await gzip(batch.payload);
    // Already gzipped: the SDK sends it as is with Content-Encoding: gzip.
    const descriptor = new StreamDescriptor(toArrayBuffer(compressed), batch.id, CompressionType.GZIP);
    await this.client.ingestFromStream(
      descriptor,
      {
        database: this.target.database,
        table: this.target.table,
        format: SDK_FORMAT[this.target.format],
        ...(this.target.mappingName ? { ingestionMappingReference: this.target.mappingName } : {}),
      },
      `tributary;${batch.id}`,
    );
  }

  close(): void {
    this.client.close();
  }
}
