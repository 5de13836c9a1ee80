/**
 * A set of 53-bit hashes (see hash.ts) in a plain number array: open addressing with linear probing,
 * 0 marks an empty slot, the length is a power of two and stays at most half full.
 * A plain array (not a typed array) because msgpackr's default `pack` writes only Uint8Array faithfully.
 */

const INITIAL_SLOTS = 16;

/** A hash set's contents: `size` hashes stored in `slots`. Plain data. */
export interface HashSet {
  size: number;
  slots: number[];
}

/** An empty hash set. */
export function createHashSet(): HashSet {
  return { size: 0, slots: new Array<number>(INITIAL_SLOTS).fill(0) };
}

/** Adds a hash; returns whether it was new. Allocates only when the table doubles. */
export function insertHash(set: HashSet, hash: number): boolean {
  // 0 marks empty slots, so the hash 0 is stored as 1 (one more collision in 2^53).
  const key = hash === 0 ? 1 : hash;
  if ((set.size + 1) * 2 > set.slots.length) grow(set);
  const slots = set.slots;
  const mask = slots.length - 1;
  let i = (key >>> 0) & mask;
  for (;;) {
    const slot = slots[i] as number;
    if (slot === key) return false;
    if (slot === 0) {
      slots[i] = key;
      set.size += 1;
      return true;
    }
    i = (i + 1) & mask;
  }
}

/** Calls `visit` with every hash in the set. */
export function forEachHash(set: HashSet, visit: (hash: number) => void): void {
  const slots = set.slots;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    if (slot !== 0) visit(slot);
  }
}

function grow(set: HashSet): void {
  const old = set.slots;
  set.slots = new Array<number>(old.length * 2).fill(0);
  set.size = 0;
  for (let i = 0; i < old.length; i++) {
    const slot = old[i] as number;
    if (slot !== 0) insertHash(set, slot);
  }
}
