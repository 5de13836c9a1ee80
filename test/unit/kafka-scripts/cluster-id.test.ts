/**
 * KRaft cluster ids handed to `kafka-storage format -t <id>`: an id that starts with "-" is read as an
 * option by the tool ("expected one argument"), which once failed a broker start in a full CI run.
 */
import { describe, expect, it } from 'vitest';
import { randomClusterId } from '../../../scripts/kafka/config.js';

describe('randomClusterId', () => {
  it('draws 16-byte base64url ids, never one the format tool would read as an option', () => {
    // A plain base64url draw starts with "-" once in 64: 5,000 draws would meet dozens.
    const ids = Array.from({ length: 5000 }, randomClusterId);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
