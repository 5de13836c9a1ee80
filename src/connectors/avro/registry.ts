/**
 * The schema registry as the Avro serdes see it: a small port, and its implementation on
 * @kafkajs/confluent-schema-registry (which speaks the Confluent REST API and caches schemas by id).
 */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { Type } from 'avsc';

/** What the Avro serdes need from a schema registry. */
export interface SchemaRegistryClient {
  /** Where the registry is, for error messages. */
  readonly url: string;
  /** Registers `schema` (Avro JSON text) under `subject`, or finds it there; resolves its global id. */
  register(subject: string, schema: string): Promise<number>;
  /** The id `schema` already has under `subject`, without registering it. */
  idOf(subject: string, schema: string): Promise<number>;
  /** The Avro type registered with `id` (the writer schema of records carrying that id). */
  typeById(id: number): Promise<Type>;
}

/** Options of {@link confluentSchemaRegistry}. */
export interface ConfluentSchemaRegistryOptions {
  /** Base URL, e.g. `http://127.0.0.1:8081` (Apicurio: `http://host:port/apis/ccompat/v7`). */
  readonly url: string;
  /** Basic authentication, when the registry needs it. */
  readonly auth?: { readonly username: string; readonly password: string };
  /**
   * Compatibility level the subject must have (checked before registering, and set on a subject's
   * first registration). Default BACKWARD, the registries' own default; a subject configured
   * otherwise needs its level here, or registration fails with a message saying so.
   */
  readonly compatibility?: keyof typeof COMPATIBILITY;
  /** Retries of failed requests (5xx and network errors only). Default 3. */
  readonly retries?: number;
}

/** A registry client on the Confluent REST API (Confluent Schema Registry, Apicurio ccompat, Karapace...). */
export function confluentSchemaRegistry(options: ConfluentSchemaRegistryOptions): SchemaRegistryClient {
  const registry = new SchemaRegistry({
    host: options.url,
    ...(options.auth ? { auth: { username: options.auth.username, password: options.auth.password } } : {}),
    retry: { retries: options.retries ?? 3 },
  });
  const compatibility = COMPATIBILITY[options.compatibility ?? 'BACKWARD'];
  return {
    url: options.url,
    async register(subject, schema) {
      try {
        const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject, compatibility });
        return id;
      } catch (error) {
        throw unreachableOr(error);
      }
    },
    async idOf(subject, schema) {
      try {
        return await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema });
      } catch (error) {
        // The library turns the registry's 404 into an error without its status: put it back.
        if (error instanceof Error && error.name === 'ConfluentSchemaRegistryError' && !('status' in error)) {
          throw Object.assign(error, { status: 404 });
        }
        throw unreachableOr(error);
      }
    },
    async typeById(id) {
      try {
        // For Avro schemas the library returns an avsc Type (built with avsc's defaults).
        return (await registry.getSchema(id)) as unknown as Type;
      } catch (error) {
        throw unreachableOr(error);
      }
    },
  };
}

/** The HTTP status of a registry error, when it carries one (404 = unknown id or subject, 409 = incompatible). */
export function registryStatus(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}

// mappersmith reports a failed connection as a made-up HTTP 400 whose text is the socket error.
const NETWORK_FAILURE =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|Timeout \(\d+ms\))/;

/**
 * A network failure dressed as "Error, status 400: connect ECONNREFUSED ..." becomes an error that
 * says the registry could not be reached, without the misleading status; other errors pass as they are.
 */
function unreachableOr(error: unknown): unknown {
  if (!(error instanceof Error) || registryStatus(error) !== 400) return error;
  if (!NETWORK_FAILURE.test(error.message)) return error;
  const detail = error.message.split(/status 400: /)[1] ?? error.message;
  const unreachable = new Error(`registry unreachable (${detail.trim()})`, { cause: error });
  unreachable.name = 'SchemaRegistryUnreachableError';
  return unreachable;
}
