/**
 * Key-hash partitioning compatible with Kafka's default partitioner (murmur2 of the key bytes,
 * made positive, modulo the partition count), so a key lands on the same partition number in the
 * embedded log as it would in Kafka with a string or JSON key serde.
 */

/** Kafka's murmur2 (the Java client's Utils.murmur2), over bytes. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  let h = seed ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k =
      (data[i4]! & 0xff) |
      ((data[i4 + 1]! & 0xff) << 8) |
      ((data[i4 + 2]! & 0xff) << 16) |
      ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const index = length4 << 2;
  // Fold the 1-3 tail bytes (Kafka's switch falls through; written out here).
  const tail = length - index;
  if (tail >= 3) h ^= (data[index + 2]! & 0xff) << 16;
  if (tail >= 2) h ^= (data[index + 1]! & 0xff) << 8;
  if (tail >= 1) {
    h ^= data[index]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The bytes a key would have on Kafka with the string/JSON serdes: strings as UTF-8, other values as JSON. */
export function keyBytes(key: unknown): Uint8Array {
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (Buffer.isBuffer(key)) return key;
  return Buffer.from(JSON.stringify(key) ?? 'null', 'utf8');
}

/** Partition for a key: Kafka's default for non-null keys. Null/undefined keys go round-robin. */
export function partitionForKey(key: unknown, partitions: number, roundRobin: () => number): number {
  if (partitions === 1) return 0;
  if (key === null || key === undefined) return roundRobin() % partitions;
  return (murmur2(keyBytes(key)) & 0x7fffffff) % partitions;
}
