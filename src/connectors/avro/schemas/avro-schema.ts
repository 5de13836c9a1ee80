/**
 * Just enough of Avro's schema grammar to write schemas as typed constants. avsc validates the
 * full grammar when a serde is created.
 */

/** Any Avro type: a type name, a union (array), or a complex type. */
export type AvroTypeSchema =
  | string
  | ReadonlyArray<AvroTypeSchema>
  | AvroRecordSchema
  | { readonly type: 'array'; readonly items: AvroTypeSchema }
  | { readonly type: 'map'; readonly values: AvroTypeSchema }
  | {
      readonly type: 'enum';
      readonly name: string;
      readonly symbols: ReadonlyArray<string>;
      readonly default?: string;
    }
  | { readonly type: string; readonly logicalType: string };

/** One field of a record. */
export interface AvroField {
  readonly name: string;
  readonly type: AvroTypeSchema;
  readonly default?: unknown;
  readonly doc?: string;
  readonly aliases?: ReadonlyArray<string>;
}

/** An Avro record schema: the top-level shape of every schema the serdes register. */
export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly aliases?: ReadonlyArray<string>;
  readonly fields: ReadonlyArray<AvroField>;
}

/** The record's full name, `namespace.name` (or `name` alone). */
export function avroFullName(schema: AvroRecordSchema): string {
  if (schema.name.includes('.') || !schema.namespace) return schema.name;
  return `${schema.namespace}.${schema.name}`;
}
