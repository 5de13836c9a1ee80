/**
 * Binary form of on-disk keys. A disk key is a tuple of encoded keys and numbers (for example
 * `[windowStart, encodedKey]`); its bytes compare (memcmp, shorter first) exactly like the tuple
 * compares element by element with compareEncodedKeys. That keeps disk range scans and
 * in-memory sorting in the same order, including for strings outside the Basic Multilingual Plane.
 *
 * Each part is self-delimiting, so any part may be followed by another:
 * - number: tag 0x01, then the IEEE-754 double big-endian with the sign bit flipped (positive)
 *   or all bits flipped (negative), so byte order is numeric order;
 * - string: tag 0x02, then each UTF-16 code unit as two big-endian bytes, with code units 0 and 1
 *   escaped as (1, 1) and (1, 2), and a (0, 0) terminator, so a prefix sorts first.
 */
import type { EncodedKey } from './key-codec.js';

/** A key as stored on disk: a tuple of encoded keys and numbers. */
export type DiskKey = readonly EncodedKey[];

/** LMDB's key size limit with its default page size. */
export const MAX_DISK_KEY_BYTES = 1978;

const NUMBER_TAG = 0x01;
const STRING_TAG = 0x02;

const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes `key` takes on disk; throws when that is over the disk limit. */
export function diskKeyLength(key: DiskKey): number {
  let length = 0;
  for (const part of key) {
    if (typeof part === 'number') {
      length += 9;
    } else {
      length += 3;
      for (let i = 0; i < part.length; i++) length += part.charCodeAt(i) <= 1 ? 4 : 2;
    }
  }
  if (length > MAX_DISK_KEY_BYTES) throw keyTooLong(key, length);
  return length;
}

function keyTooLong(key: DiskKey, length: number): RangeError {
  const sample = JSON.stringify(String(key[key.length - 1]).slice(0, 40));
  return new RangeError(
    `state store key is too long for a persistent store: ${length} bytes encoded, at most ` +
      `${MAX_DISK_KEY_BYTES} (about ${Math.floor((MAX_DISK_KEY_BYTES - 12) / 2)} characters); ` +
      `shorten the key or use an in-memory store (the key starts with ${sample})`,
  );
}

/**
 * Throws unless a disk key made of `encoded` plus `numberParts` numbers fits on disk. Cheap for
 * the usual short key, so stores call it on every put and fail there rather than at flush.
 */
export function assertKeyFitsOnDisk(encoded: EncodedKey, numberParts: number): void {
  // 4 bytes per code unit is the worst case (escaped NUL), so short keys need no exact count.
  if (typeof encoded === 'string' && encoded.length * 4 + 3 + numberParts * 9 > MAX_DISK_KEY_BYTES) {
    diskKeyLength([encoded, ...new Array<number>(numberParts).fill(0)]);
  }
}

/** Writes `key` into `target` at `position`; returns the position after it. */
export function writeDiskKey(key: DiskKey | undefined, target: Uint8Array, position: number): number {
  if (key === undefined) return position;
  let at = position;
  for (const part of key) {
    if (typeof part === 'number') {
      target[at++] = NUMBER_TAG;
      float[0] = part + 0;
      const negative = (floatBytes[littleEndian ? 7 : 0]! & 0x80) !== 0;
      for (let i = 0; i < 8; i++) {
        const byte = floatBytes[littleEndian ? 7 - i : i]!;
        target[at++] = negative ? ~byte & 0xff : i === 0 ? byte ^ 0x80 : byte;
      }
    } else {
      target[at++] = STRING_TAG;
      for (let i = 0; i < part.length; i++) {
        const unit = part.charCodeAt(i);
        if (unit <= 1) {
          target[at++] = 0;
          target[at++] = 1;
          target[at++] = 0;
          target[at++] = unit + 1;
        } else {
          target[at++] = unit >> 8;
          target[at++] = unit & 0xff;
        }
      }
      target[at++] = 0;
      target[at++] = 0;
    }
  }
  // Bytes past the end of `target` are dropped silently by typed arrays: check after writing.
  if (at - position > MAX_DISK_KEY_BYTES) throw keyTooLong(key, at - position);
  return at;
}

/** Reads the key written by writeDiskKey from `source[start, end)`. */
export function readDiskKey(source: Uint8Array, start: number, end: number): EncodedKey[] {
  const parts: EncodedKey[] = [];
  let at = start;
  while (at < end) {
    const tag = source[at++];
    if (tag === NUMBER_TAG) {
      const negative = (source[at]! & 0x80) === 0;
      for (let i = 0; i < 8; i++) {
        const byte = source[at + i]!;
        floatBytes[littleEndian ? 7 - i : i] = negative ? ~byte & 0xff : i === 0 ? byte ^ 0x80 : byte;
      }
      parts.push(float[0]!);
      at += 8;
    } else if (tag === STRING_TAG) {
      const units: number[] = [];
      for (;;) {
        const unit = (source[at]! << 8) | source[at + 1]!;
        at += 2;
        if (unit === 0) break;
        if (unit === 1) {
          units.push(((source[at]! << 8) | source[at + 1]!) - 1);
          at += 2;
        } else {
          units.push(unit);
        }
      }
      parts.push(fromCodeUnits(units));
    } else {
      throw new Error(`corrupt state store key: unknown part tag ${tag} at byte ${at - 1 - start}`);
    }
  }
  return parts;
}

function fromCodeUnits(units: number[]): string {
  if (units.length <= 4096) return String.fromCharCode(...units);
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.slice(i, i + 4096));
  return text;
}

/** Encodes `key` into a fresh Buffer (for stores whose API takes key buffers). */
export function diskKeyBuffer(key: DiskKey): Buffer {
  const buffer = Buffer.allocUnsafe(diskKeyLength(key));
  writeDiskKey(key, buffer, 0);
  return buffer;
}

/** The smallest double greater than `value` (for "everything after this number" bounds). */
export function nextDoubleUp(value: number): number {
  if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) return value;
  if (value === 0) return Number.MIN_VALUE;
  float[0] = value;
  const view = new BigInt64Array(float.buffer);
  view[0] = value > 0 ? view[0]! + 1n : view[0]! - 1n;
  return float[0]!;
}
