/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the
 * Avro binary encoding of the value. Every Confluent-compatible producer and consumer uses it.
 */

/** First byte of every record in the Confluent wire format. */
export const MAGIC_BYTE = 0;

/** Bytes before the Avro payload: magic byte + schema id. */
export const WIRE_HEADER_SIZE = 5;

/** Writes the header for `schemaId` at the start of `target` (which must hold at least 5 bytes). */
export function writeWireHeader(target: Buffer, schemaId: number): void {
  target[0] = MAGIC_BYTE;
  target.writeInt32BE(schemaId, 1);
}

/** Why bytes are not in the wire format, or undefined when the header is fine. */
export function wireHeaderProblem(data: Buffer): string | undefined {
  if (data.length < WIRE_HEADER_SIZE) {
    return `it is ${data.length} bytes long, shorter than the 5-byte Confluent header (magic byte 0 + 4-byte schema id)`;
  }
  if (data[0] !== MAGIC_BYTE) {
    return `its first byte is 0x${data[0]?.toString(16).padStart(2, '0')}, not the Confluent magic byte 0x00 (was it written without the schema registry serializer, e.g. as plain JSON?)`;
  }
  return undefined;
}

/** The schema id of bytes whose header passed {@link wireHeaderProblem}. */
export function readSchemaId(data: Buffer): number {
  return data.readInt32BE(1);
}
