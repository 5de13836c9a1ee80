/** A Map-friendly identity for a key: strings and numbers as they are, anything else as JSON. */
export function keyId(key: unknown): string | number {
  return typeof key === 'string' || typeof key === 'number' ? key : JSON.stringify(key);
}
