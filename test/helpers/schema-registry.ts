/**
 * Schema registries for the Avro serde tests.
 *
 * STAND-IN: no real Confluent-compatible registry could be started on this machine (see the
 * Avro part of the project report: Maven Central has no runnable Apicurio Registry, and neither
 * Confluent Schema Registry nor Karapace is published to a registry reachable here), so
 * `startStandInSchemaRegistry` serves the part of the Confluent Schema Registry REST API that
 * clients use, following its documented contract:
 * - POST /subjects/{subject}/versions `{ schema, schemaType? }` -> `{ id }`; the same schema under
 *   the same subject returns the same id, and ids are global (one id per distinct schema).
 *   A schema the subject's compatibility level rejects -> 409 `{ error_code: 409, message }`;
 *   an invalid schema -> 422 `{ error_code: 42201 }`.
 * - POST /subjects/{subject} `{ schema }` -> `{ subject, id, version, schema }`, 404 (40401 subject,
 *   40403 schema) when the schema is not registered there.
 * - GET /schemas/ids/{id} -> `{ schema }`, 404 `{ error_code: 40403 }` for an unknown id.
 * - GET /subjects, GET /subjects/{subject}/versions, GET /subjects/{subject}/versions/{version|latest}.
 * - GET/PUT /config and /config/{subject} (compatibility levels; a subject without its own level
 *   answers 404 40408, like Confluent 7). Default level BACKWARD. Compatibility is decided with
 *   avsc's schema resolution: BACKWARD = the new schema reads data written with the latest one,
 *   FORWARD = the latest reads the new, FULL = both; *_TRANSITIVE check every earlier version.
 * Every response is `application/vnd.schemaregistry.v1+json`.
 *
 * `SCHEMA_REGISTRY_URL` names a real registry instead (used by the opt-in external-registry test).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import avro from 'avsc';

/** A registry a test can talk to. */
export interface TestSchemaRegistry {
  readonly url: string;
  /** `stand-in` for the in-process server, `external` for SCHEMA_REGISTRY_URL. */
  readonly kind: 'stand-in' | 'external';
  close(): Promise<void>;
}

/** The real registry named by SCHEMA_REGISTRY_URL, or undefined when it is not set. */
export function externalSchemaRegistry(): TestSchemaRegistry | undefined {
  const url = process.env.SCHEMA_REGISTRY_URL;
  if (!url) return undefined;
  return { url: url.replace(/\/+$/, ''), kind: 'external', close: async () => {} };
}

type Compatibility =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';
const LEVELS = new Set<string>([
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
]);

interface Version {
  readonly id: number;
  readonly version: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** In-memory registry state and the REST contract on top of it. */
class StandInRegistry {
  private readonly idsByText = new Map<string, number>();
  private readonly textsById = new Map<number, string>();
  private readonly typesById = new Map<number, avro.Type>();
  private readonly subjects = new Map<string, Version[]>();
  private readonly levels = new Map<string, Compatibility>();
  private globalLevel: Compatibility = 'BACKWARD';

  handle(method: string, path: string[], body: Record<string, unknown> | undefined): unknown {
    const [root, name, sub, version] = path;
    if (root === 'schemas' && name === 'ids' && sub && method === 'GET') return this.schemaById(Number(sub));
    if (root === 'config') return this.config(method, name, body);
    if (root === 'subjects') {
      if (!name) return [...this.subjects.keys()];
      if (sub === undefined && method === 'POST') return this.lookUp(name, body);
      if (sub === 'versions' && method === 'POST' && version === undefined) return this.register(name, body);
      if (sub === 'versions' && method === 'GET')
        return version === undefined ? this.versions(name) : this.version(name, version);
    }
    throw new HttpError(404, 404, `HTTP 404 Not Found: ${method} /${path.join('/')}`);
  }

  private schemaById(id: number): unknown {
    const schema = this.textsById.get(id);
    if (schema === undefined) throw new HttpError(404, 40403, `Schema ${id} not found`);
    return { schema };
  }

  private config(
    method: string,
    subject: string | undefined,
    body: Record<string, unknown> | undefined,
  ): unknown {
    if (method === 'PUT') {
      const level = String(body?.compatibility ?? '').toUpperCase();
      if (!LEVELS.has(level)) throw new HttpError(422, 42203, `Invalid compatibility level ${level}`);
      if (subject) this.levels.set(subject, level as Compatibility);
      else this.globalLevel = level as Compatibility;
      return { compatibility: level };
    }
    if (!subject) return { compatibilityLevel: this.globalLevel };
    const level = this.levels.get(subject);
    if (!level) {
      throw new HttpError(
        404,
        40408,
        `Subject '${subject}' does not have subject-level compatibility configured`,
      );
    }
    return { compatibilityLevel: level };
  }

  private register(subject: string, body: Record<string, unknown> | undefined): unknown {
    const { text, type } = this.parse(body);
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((v) => this.textsById.get(v.id) === text);
    if (existing) return { id: existing.id };
    this.checkCompatible(subject, versions, type);
    let id = this.idsByText.get(text);
    if (id === undefined) {
      id = this.idsByText.size + 1;
      this.idsByText.set(text, id);
      this.textsById.set(id, text);
      this.typesById.set(id, type);
    }
    versions.push({ id, version: (versions.at(-1)?.version ?? 0) + 1 });
    this.subjects.set(subject, versions);
    return { id };
  }

  private lookUp(subject: string, body: Record<string, unknown> | undefined): unknown {
    const { text } = this.parse(body);
    const versions = this.subjects.get(subject);
    if (!versions) throw new HttpError(404, 40401, `Subject '${subject}' not found.`);
    const found = versions.find((v) => this.textsById.get(v.id) === text);
    if (!found) throw new HttpError(404, 40403, 'Schema not found');
    return { subject, id: found.id, version: found.version, schema: text };
  }

  private versions(subject: string): unknown {
    const versions = this.subjects.get(subject);
    if (!versions) throw new HttpError(404, 40401, `Subject '${subject}' not found.`);
    return versions.map((v) => v.version);
  }

  private version(subject: string, which: string): unknown {
    const versions = this.subjects.get(subject);
    if (!versions) throw new HttpError(404, 40401, `Subject '${subject}' not found.`);
    const found = which === 'latest' ? versions.at(-1) : versions.find((v) => v.version === Number(which));
    if (!found) throw new HttpError(404, 40402, `Version ${which} not found.`);
    return { subject, id: found.id, version: found.version, schema: this.textsById.get(found.id) };
  }

  private parse(body: Record<string, unknown> | undefined): { text: string; type: avro.Type } {
    const schemaType = body?.schemaType ?? 'AVRO';
    if (schemaType !== 'AVRO')
      throw new HttpError(422, 42201, `This stand-in only holds AVRO schemas, not ${String(schemaType)}`);
    if (typeof body?.schema !== 'string')
      throw new HttpError(422, 42201, 'Invalid schema: "schema" must be a string');
    try {
      const parsed: unknown = JSON.parse(body.schema);
      return { text: JSON.stringify(parsed), type: avro.Type.forSchema(parsed as avro.Schema) };
    } catch (error) {
      throw new HttpError(422, 42201, `Invalid schema: ${(error as Error).message}`);
    }
  }

  private checkCompatible(subject: string, versions: ReadonlyArray<Version>, candidate: avro.Type): void {
    if (versions.length === 0) return;
    const level = this.levels.get(subject) ?? this.globalLevel;
    if (level === 'NONE') return;
    const against = level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
    const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
    const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
    for (const { id } of against) {
      const earlier = this.typesById.get(id) as avro.Type;
      try {
        if (backward) candidate.createResolver(earlier);
        if (forward) earlier.createResolver(candidate);
      } catch (error) {
        throw new HttpError(
          409,
          409,
          `Schema being registered is incompatible with an earlier schema for subject "${subject}" (${level}): ${(error as Error).message}`,
        );
      }
    }
  }
}

/** Starts the stand-in on 127.0.0.1 at a free port. */
export async function startStandInSchemaRegistry(): Promise<TestSchemaRegistry> {
  const registry = new StandInRegistry();
  const server = createServer((request, response) => {
    void serve(registry, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kind: 'stand-in',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(
  registry: StandInRegistry,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let status = 200;
  let payload: unknown;
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | undefined;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      throw new HttpError(400, 400, 'Request body is not JSON');
    }
    payload = registry.handle(request.method ?? 'GET', path, body);
  } catch (error) {
    const failure = error instanceof HttpError ? error : new HttpError(500, 50001, (error as Error).message);
    status = failure.status;
    payload = { error_code: failure.errorCode, message: failure.message };
  }
  response.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
  response.end(JSON.stringify(payload));
}
