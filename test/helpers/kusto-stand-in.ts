/**
 * A local HTTP stand-in for the Azure Data Explorer cloud service (engine and data management
 * endpoints), for tests: there is no ADX emulator that runs here, so this answers the few
 * documented REST calls the Kusto SDK makes, records every request, and replays scripted failures.
 *
 * Protocol followed (Microsoft Learn, "Azure Data Explorer REST API"):
 * - GET  /v1/rest/auth/metadata: cloud metadata, `{ "AzureAD": { LoginEndpoint, KustoServiceResourceId, ... } }`.
 * - POST /v1/rest/mgmt with `{ "db", "csl" }`: management commands; the answer is a v1 response,
 *   `{ "Tables": [{ "TableName", "Columns": [{ "ColumnName", "DataType", "ColumnType" }], "Rows": [[...]] }] }`.
 *   `.get ingestion resources` lists ResourceTypeName/StorageRoot rows (SecuredReadyForAggregationQueue,
 *   TempStorage, FailedIngestionsQueue, SuccessfulIngestionsQueue, IngestionsStatusTable) and
 *   `.get kusto identity token` returns one AuthorizationContext row ("Queued ingestion" and
 *   "How to ingest data with the REST API").
 * - POST /v1/rest/ingest/{database}/{table}?streamFormat=...&mappingName=...: streaming ingestion
 *   ("Streaming ingestion HTTP request"); the body may be gzip (Content-Encoding: gzip).
 * - Errors use the documented Kusto error body `{ "error": { "code", "message", "@message", "@permanent" } }`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the stand-in received, with its body decoded (gunzipped when it was gzip). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** A scripted answer: status and JSON body. */
export interface ScriptedResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** A resource row of `.get ingestion resources`. */
export interface IngestionResource {
  readonly type:
    | 'SecuredReadyForAggregationQueue'
    | 'TempStorage'
    | 'FailedIngestionsQueue'
    | 'SuccessfulIngestionsQueue'
    | 'IngestionsStatusTable';
  readonly uri: string;
}

/** Start options. */
export interface KustoStandInOptions {
  readonly ingestionResources?: ReadonlyArray<IngestionResource>;
  readonly authorizationContext?: string;
  /** LoginEndpoint announced in /v1/rest/auth/metadata. Default: the stand-in itself (fails fast). */
  readonly loginEndpoint?: string;
}

/** A documented Kusto error body, as the service returns it with 4xx/5xx statuses. */
export function kustoError(code: string, message: string, permanent: boolean): unknown {
  return {
    error: {
      code,
      message,
      '@type': permanent
        ? 'Kusto.Data.Exceptions.KustoBadRequestException'
        : 'Kusto.Data.Exceptions.KustoServiceException',
      '@message': message,
      '@permanent': permanent,
    },
  };
}

/** The running stand-in. */
export class KustoStandIn {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly ingestScript: ScriptedResponse[] = [];
  private readonly mgmtScript: ScriptedResponse[] = [];

  private constructor(
    private readonly server: Server,
    /** Base URL, e.g. http://127.0.0.1:40123 */
    readonly url: string,
    private readonly options: KustoStandInOptions,
  ) {}

  /** Starts on 127.0.0.1 at a free port. */
  static async start(options: KustoStandInOptions = {}): Promise<KustoStandIn> {
    let standIn: KustoStandIn | undefined;
    const server = createServer((req, res) => {
      standIn!.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(kustoError('StandInFailure', String(error), false)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new KustoStandIn(server, `http://127.0.0.1:${port}`, options);
    return standIn;
  }

  /** Answers the next streaming-ingest requests with these responses, in order (then 200s again). */
  scriptIngest(...responses: ScriptedResponse[]): void {
    this.ingestScript.push(...responses);
  }

  /** Answers the next management commands with these responses, in order. */
  scriptMgmt(...responses: ScriptedResponse[]): void {
    this.mgmtScript.push(...responses);
  }

  /** The `csl` text of every management command received. */
  mgmtCommands(): string[] {
    return this.requests
      .filter((r) => r.path === '/v1/rest/mgmt')
      .map((r) => (JSON.parse(r.body.toString('utf8')) as { csl: string }).csl);
  }

  /** Streaming-ingest requests received. */
  ingestRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/v1/rest/ingest/'));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });

    if (req.method === 'GET' && url.pathname === '/v1/rest/auth/metadata') {
      return json(res, 200, {
        AzureAD: {
          LoginEndpoint: this.options.loginEndpoint ?? this.url,
          LoginMfaRequired: false,
          KustoClientAppId: 'db662dc1-0cfe-4e1c-a843-19a68e65be58',
          KustoClientRedirectUri: 'https://microsoft/kustoclient',
          KustoServiceResourceId: this.url,
          FirstPartyAuthorityUrl: `${this.url}/first-party`,
        },
      });
    }
    if (req.method === 'POST' && url.pathname === '/v1/rest/mgmt') {
      const scripted = this.mgmtScript.shift();
      if (scripted) return json(res, scripted.status, scripted.body ?? {});
      const { csl } = JSON.parse(body.toString('utf8')) as { csl: string };
      return json(res, 200, this.answerCommand(csl.trim()));
    }
    if (req.method === 'POST' && url.pathname.startsWith('/v1/rest/ingest/')) {
      const scripted = this.ingestScript.shift();
      if (scripted) return json(res, scripted.status, scripted.body ?? {});
      return json(
        res,
        200,
        v1Table(
          [
            ['ConsumedRecordsCount', 'Int64', 'long'],
            ['UpdatePolicyStatus', 'String', 'string'],
            ['UpdatePolicyFailureCode', 'String', 'string'],
            ['UpdatePolicyFailureReason', 'String', 'string'],
          ],
          [[0, 'Inactive', 'Unknown', null]],
        ),
      );
    }
    return json(
      res,
      404,
      kustoError('NotFound', `The stand-in does not serve ${req.method} ${url.pathname}`, true),
    );
  }

  private answerCommand(csl: string): unknown {
    if (csl.startsWith('.get ingestion resources')) {
      const rows = (this.options.ingestionResources ?? []).map((r) => [r.type, r.uri]);
      return v1Table(
        [
          ['ResourceTypeName', 'String', 'string'],
          ['StorageRoot', 'String', 'string'],
        ],
        rows,
      );
    }
    if (csl.startsWith('.get kusto identity token')) {
      return v1Table(
        [['AuthorizationContext', 'String', 'string']],
        [[this.options.authorizationContext ?? 'stand-in-context']],
      );
    }
    // Table and mapping commands: acknowledged with an empty result, as far as the client cares.
    return v1Table([['Result', 'String', 'string']], []);
  }
}

function v1Table(columns: ReadonlyArray<readonly [string, string, string]>, rows: unknown[][]): unknown {
  return {
    Tables: [
      {
        TableName: 'Table_0',
        Columns: columns.map(([ColumnName, DataType, ColumnType]) => ({ ColumnName, DataType, ColumnType })),
        Rows: rows,
      },
    ],
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
