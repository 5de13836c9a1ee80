import { describe, expect, it } from 'vitest';
import { classifyAdxError } from '../../../src/connectors/adx/index.js';

function axiosLike(status: number, data?: unknown): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
    response: { status, data },
  });
}

describe('classifyAdxError', () => {
  it.each([408, 429, 500, 502, 503, 504])('HTTP %i is transient', (status) => {
    expect(classifyAdxError(axiosLike(status))).toMatchObject({
      permanent: false,
      status,
      reason: `HTTP ${status}`,
    });
  });

  it.each([400, 401, 403, 404, 413])('HTTP %i is permanent', (status) => {
    expect(classifyAdxError(axiosLike(status))).toMatchObject({ permanent: true, status });
  });

  it("lets the service's @permanent flag override the status, and uses its message", () => {
    const body = {
      error: { code: 'X', message: 'short', '@message': 'Table T not found', '@permanent': false },
    };
    expect(classifyAdxError(axiosLike(400, body))).toEqual({
      permanent: false,
      status: 400,
      reason: 'HTTP 400',
      detail: 'Table T not found',
    });
    const permanent500 = { error: { code: 'Y', message: 'Bad format', '@permanent': true } };
    expect(classifyAdxError(axiosLike(500, JSON.stringify(permanent500)))).toMatchObject({
      permanent: true,
      detail: 'Bad format',
    });
  });

  it('finds the status in a wrapped SDK message and in a storage RestError', () => {
    const wrapped = new Error(
      'Failed to fetch ingestion resources from service.  Request failed with status code 401.',
    );
    expect(classifyAdxError(wrapped)).toMatchObject({ permanent: true, status: 401 });
    const restError = Object.assign(new Error('Server busy'), { name: 'RestError', statusCode: 503 });
    expect(classifyAdxError(restError)).toMatchObject({ permanent: false, status: 503 });
  });

  it('follows inner errors and causes', () => {
    const inner = axiosLike(429);
    const throttled = Object.assign(new Error('POST request failed with status 429 (Too Many Requests)'), {
      name: 'ThrottlingError',
      inner,
    });
    expect(classifyAdxError(throttled)).toMatchObject({ permanent: false, status: 429 });
    const withCause = new Error('outer', { cause: axiosLike(403) });
    expect(classifyAdxError(withCause)).toMatchObject({ permanent: true, status: 403 });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED'])(
    'network code %s is transient',
    (code) => {
      const error = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
      expect(classifyAdxError(error)).toMatchObject({ permanent: false, reason: `network error (${code})` });
    },
  );

  it('treats an unreachable identity endpoint as transient and other authentication failures as permanent', () => {
    const unreachable = Object.assign(
      new Error('network_error: See https://aka.ms/msal.js.errors#network_error'),
      {
        name: 'KustoAuthenticationError',
      },
    );
    expect(classifyAdxError(unreachable)).toMatchObject({
      permanent: false,
      reason: 'token acquisition failed: network error (network_error)',
    });
    const rejected = Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), {
      name: 'KustoAuthenticationError',
    });
    expect(classifyAdxError(rejected)).toMatchObject({ permanent: true, reason: 'authentication failed' });
  });

  it('treats invalid ingestion properties as permanent and swallowed storage failures as transient', () => {
    const invalid = Object.assign(new Error('Must define a target table'), {
      name: 'IngestionPropertiesValidationError',
    });
    expect(classifyAdxError(invalid).permanent).toBe(true);
    expect(classifyAdxError(new Error('Failed to upload to blob.'))).toMatchObject({
      permanent: false,
      reason: 'storage unavailable',
    });
    expect(classifyAdxError(new Error('Failed to send message to queue.')).permanent).toBe(false);
  });

  it('retries what it cannot classify rather than dropping it', () => {
    expect(classifyAdxError('weird')).toEqual({
      permanent: false,
      status: undefined,
      reason: 'unclassified error',
      detail: 'weird',
    });
  });
});
