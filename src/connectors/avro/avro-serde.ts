/**
 * Avro serde with a schema registry, in the Confluent wire format.
 *
 * Produce: the configured schema is registered under the subject its naming strategy gives (once
 * per subject, then cached), and each value is written as header + Avro binary.
 * Consume: the writer schema is fetched by the id in each record's header (once per id, then
 * cached) and resolved against the configured schema, the reader schema: fields added with a
 * default are filled in, fields the reader does not know are skipped (Avro schema evolution).
 * After the first record of each subject or id, both directions are synchronous work only.
 */

import type { Resolver, Type } from 'avsc';
import avro from 'avsc';
import type { AsyncSerde } from '../../runtime/serde.js';
import { AvroSerdeError } from './errors.js';
import { registryStatus, type SchemaRegistryClient } from './registry.js';
import { type AvroRecordSchema, avroFullName } from './schemas/avro-schema.js';
import {
  type SubjectNameStrategy,
  type SubjectNameStrategyName,
  subjectNameStrategy,
} from './subject-naming.js';
import { readSchemaId, WIRE_HEADER_SIZE, wireHeaderProblem, writeWireHeader } from './wire-format.js';

/** Options of {@link avroSerde}. */
export interface AvroSerdeOptions {
  /** The registry (see `confluentSchemaRegistry`). */
  readonly registry: SchemaRegistryClient;
  /** The schema values are written with, and the reader schema records are decoded into. */
  readonly schema: AvroRecordSchema;
  /** True for a key serde (subject `<topic>-key` under the topic strategy). Default false. */
  readonly isKey?: boolean;
  /** `topic` (default: `<topic>-value`), `record` (`<full name>`), `topic-record` (`<topic>-<full name>`) or a function. */
  readonly subjectNameStrategy?: SubjectNameStrategyName | SubjectNameStrategy;
  /**
   * Register the schema on first produce (default true). When false the schema must already be
   * registered under the subject, and producing fails with a clear error when it is not.
   */
  readonly autoRegister?: boolean;
}

/** Upper bound of the reusable encode buffer; larger values get a buffer of their own. */
const MAX_SCRATCH_BYTES = 1024 * 1024;

/** How one writer schema id is read: the resolver into the reader schema (none when they are equal). */
interface ReadPlan {
  readonly resolver: Resolver | undefined;
}

/** An Avro AsyncSerde for values of type T (use the typed schema constants, e.g. PACKET_AVRO_SCHEMA with AvroPacket). */
export function avroSerde<T>(options: AvroSerdeOptions): AsyncSerde<T> {
  return new AvroSerde<T>(options);
}

/** The serde behind {@link avroSerde}; exported for `instanceof` checks and its caches' counters. */
export class AvroSerde<T> implements AsyncSerde<T> {
  private readonly type: Type;
  private readonly schemaText: string;
  private readonly recordName: string;
  private readonly strategy: SubjectNameStrategy;
  private readonly isKey: boolean;
  private readonly autoRegister: boolean;
  private readonly registry: SchemaRegistryClient;
  /** Subject -> schema id (resolved), and the pending lookups so concurrent first calls share one. */
  private readonly idsBySubject = new Map<string, number>();
  private readonly pendingIds = new Map<string, Promise<number>>();
  /** Topic -> subject, so the strategy runs once per topic. */
  private readonly subjectsByTopic = new Map<string, string>();
  /** Writer schema id -> how to read it. */
  private readonly plans = new Map<number, ReadPlan>();
  private readonly pendingPlans = new Map<number, Promise<ReadPlan>>();
  private scratch = Buffer.allocUnsafe(4096);

  constructor(options: AvroSerdeOptions) {
    try {
      this.type = avro.Type.forSchema(options.schema as unknown as avro.Schema);
    } catch (error) {
      throw new TypeError(
        `the Avro schema "${options.schema.name}" is not valid: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.schemaText = JSON.stringify(options.schema);
    this.recordName = avroFullName(options.schema);
    this.strategy = subjectNameStrategy(options.subjectNameStrategy ?? 'topic');
    this.isKey = options.isKey ?? false;
    this.autoRegister = options.autoRegister ?? true;
    this.registry = options.registry;
  }

  /** The subject this serde registers its schema under for `topic`. */
  subjectFor(topic: string): string {
    let subject = this.subjectsByTopic.get(topic);
    if (subject === undefined) {
      subject = this.strategy({ topic, isKey: this.isKey, recordName: this.recordName });
      this.subjectsByTopic.set(topic, subject);
    }
    return subject;
  }

  async serialize(value: T, topic: string): Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    const subject = this.subjectFor(topic);
    const id = this.idsBySubject.get(subject) ?? (await this.schemaIdFor(subject, topic));
    return this.encode(value, id, topic, subject);
  }

  async deserialize(data: Buffer | null, topic: string): Promise<T> {
    if (data === null) return null as T;
    const problem = wireHeaderProblem(data);
    if (problem) {
      throw new AvroSerdeError(
        `record from topic "${topic}" is not Avro in the Confluent wire format: ${problem}`,
        topic,
        undefined,
        undefined,
      );
    }
    const id = readSchemaId(data);
    const plan = this.plans.get(id) ?? (await this.readPlanFor(id, topic));
    try {
      return this.type.fromBuffer(data.subarray(WIRE_HEADER_SIZE), plan.resolver) as T;
    } catch (error) {
      throw new AvroSerdeError(
        `record from topic "${topic}" with schema id ${id} does not decode (${(error as Error).message}); ` +
          `its ${data.length - WIRE_HEADER_SIZE} Avro bytes do not match that schema: the record is corrupt or was written with another id`,
        topic,
        id,
        undefined,
        { cause: error },
      );
    }
  }

  private encode(value: T, id: number, topic: string, subject: string): Buffer {
    try {
      let end = this.type.encode(value, this.scratch, WIRE_HEADER_SIZE);
      if (end < 0) {
        // avsc returns minus the bytes it lacked: encode again into a buffer large enough.
        const bigger = Buffer.allocUnsafe(Math.max(this.scratch.length - end, this.scratch.length * 2));
        end = this.type.encode(value, bigger, WIRE_HEADER_SIZE);
        if (bigger.length > MAX_SCRATCH_BYTES) {
          // Too large to keep around: hand this buffer out instead of copying it.
          writeWireHeader(bigger, id);
          return bigger.subarray(0, end);
        }
        this.scratch = bigger;
      }
      writeWireHeader(this.scratch, id);
      return Buffer.from(this.scratch.subarray(0, end));
    } catch (error) {
      throw new AvroSerdeError(
        `value for topic "${topic}" does not match Avro schema ${this.recordName} (subject "${subject}", id ${id}): ${this.invalidFields(value) ?? (error as Error).message}`,
        topic,
        id,
        subject,
        { cause: error },
      );
    }
  }

  /** Lists the fields of `value` that do not match the schema, with what they hold. */
  private invalidFields(value: T): string | undefined {
    const problems: string[] = [];
    this.type.isValid(value, {
      errorHook: (path, fieldValue, type) => {
        if (problems.length < 5) {
          problems.push(
            `field "${path.join('.') || '(root)'}" holds ${preview(fieldValue)}, expected ${String(type)}`,
          );
        }
      },
    });
    return problems.length > 0 ? problems.join('; ') : undefined;
  }

  private schemaIdFor(subject: string, topic: string): Promise<number> {
    let pending = this.pendingIds.get(subject);
    if (!pending) {
      pending = this.lookUpSchemaId(subject, topic).finally(() => this.pendingIds.delete(subject));
      this.pendingIds.set(subject, pending);
    }
    return pending;
  }

  private async lookUpSchemaId(subject: string, topic: string): Promise<number> {
    try {
      const id = this.autoRegister
        ? await this.registry.register(subject, this.schemaText)
        : await this.registry.idOf(subject, this.schemaText);
      this.idsBySubject.set(subject, id);
      return id;
    } catch (error) {
      const status = registryStatus(error);
      const what = this.autoRegister ? 'register' : 'find';
      let advice = 'check that the registry is reachable and the subject is right';
      if (status === 409) {
        advice =
          "the registry refused it as incompatible with the subject's earlier versions: evolve the schema " +
          'compatibly (add fields with defaults, remove only fields that had defaults) or change the subject';
      } else if (status === 404 && !this.autoRegister) {
        advice = 'it is not registered under that subject: register it first, or enable autoRegister';
      } else if (error instanceof Error && error.name === 'ConfluentSchemaRegistryCompatibilityError') {
        advice = "pass the subject's compatibility level as `compatibility` to confluentSchemaRegistry()";
      } else if (status === 401 || status === 403) {
        advice = 'the registry refused the credentials';
      }
      throw new AvroSerdeError(
        `could not ${what} Avro schema ${this.recordName} under subject "${subject}" for topic "${topic}" at ${this.registry.url}: ${(error as Error).message}; ${advice}`,
        topic,
        undefined,
        subject,
        { cause: error },
      );
    }
  }

  private readPlanFor(id: number, topic: string): Promise<ReadPlan> {
    let pending = this.pendingPlans.get(id);
    if (!pending) {
      pending = this.buildReadPlan(id, topic).finally(() => this.pendingPlans.delete(id));
      this.pendingPlans.set(id, pending);
    }
    return pending;
  }

  private async buildReadPlan(id: number, topic: string): Promise<ReadPlan> {
    let writer: Type;
    try {
      writer = await this.registry.typeById(id);
    } catch (error) {
      const unknown = registryStatus(error) === 404;
      throw new AvroSerdeError(
        unknown
          ? `record from topic "${topic}" names schema id ${id}, which the registry at ${this.registry.url} does not know: ` +
              'it was written against another registry, or the schema was deleted'
          : `could not fetch schema id ${id} (record from topic "${topic}") from the registry at ${this.registry.url}: ${(error as Error).message}`,
        topic,
        id,
        undefined,
        { cause: error },
      );
    }
    let plan: ReadPlan;
    try {
      plan = { resolver: this.type.equals(writer) ? undefined : this.type.createResolver(writer) };
    } catch (error) {
      throw new AvroSerdeError(
        `record from topic "${topic}" was written with schema id ${id} (${writer.name ?? 'unnamed'}), which reader schema ` +
          `${this.recordName} cannot read: ${(error as Error).message}. Make the schemas compatible (same record name ` +
          'or an alias, new reader fields need defaults)',
        topic,
        id,
        undefined,
        { cause: error },
      );
    }
    this.plans.set(id, plan);
    return plan;
  }
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
