import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetries } from '../../../src/connectors/adx/retry.js';

const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1000 };

function failing(status: number): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), { response: { status } });
}

describe('backoffDelay', () => {
  it('doubles per attempt, caps at maxDelay, and keeps half of the delay fixed', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
  });
});

describe('withRetries', () => {
  it('retries transient failures with the backoff schedule until success', async () => {
    const slept: number[] = [];
    const seen: number[] = [];
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw failing(503);
      },
      {
        policy,
        random: () => 0,
        sleep: async (ms) => void slept.push(ms),
        onRetry: (attempt, failure) => seen.push(attempt, failure.status ?? -1),
      },
    );
    expect(outcome).toEqual({ ok: true, attempts: 3 });
    expect(slept).toEqual([50, 100]);
    expect(seen).toEqual([1, 503, 2, 503]);
  });

  it('stops at the first permanent failure', async () => {
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        calls++;
        throw failing(400);
      },
      { policy, sleep: async () => undefined },
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, failure: { permanent: true, status: 400 } });
  });

  it('gives up after maxAttempts transient failures and returns the last error', async () => {
    const errors = [failing(500), failing(502), failing(503)];
    let calls = 0;
    const outcome = await withRetries(
      async () => {
        throw errors[calls++];
      },
      { policy: { ...policy, maxAttempts: 3 }, sleep: async () => undefined },
    );
    expect(calls).toBe(3);
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 3,
      error: errors[2],
      failure: { permanent: false, status: 503 },
    });
  });
});
