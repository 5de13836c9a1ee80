import { describe, expect, it } from 'vitest';
import { adxAuthFor, isLocalPlainHttp } from '../../../examples/network-monitor/app/adx-auth.js';

const CLOUD = 'https://mycluster.westeurope.kusto.windows.net';
const APP = { AZURE_TENANT_ID: 'tenant', AZURE_CLIENT_ID: 'client', AZURE_CLIENT_SECRET: 'secret' };

describe('adxAuthFor', () => {
  it('uses the app registration when all three variables are set, even for a local cluster', () => {
    const expected = { kind: 'appKey', tenantId: 'tenant', clientId: 'client', clientSecret: 'secret' };
    expect(adxAuthFor(CLOUD, APP)).toEqual(expected);
    expect(adxAuthFor('http://127.0.0.1:8080', APP)).toEqual(expected);
  });

  it('uses a user-assigned managed identity for AZURE_CLIENT_ID alone, else the system one', () => {
    expect(adxAuthFor(CLOUD, { AZURE_CLIENT_ID: 'client' })).toEqual({
      kind: 'managedIdentity',
      clientId: 'client',
    });
    expect(adxAuthFor(CLOUD, { AZURE_TENANT_ID: 'tenant', AZURE_CLIENT_SECRET: 'secret' })).toEqual({
      kind: 'managedIdentity',
    });
  });

  it('sends no token to a plain-http cluster on this machine (the Kusto emulator)', () => {
    expect(adxAuthFor('http://localhost:8080', {})).toEqual({ kind: 'none' });
    expect(adxAuthFor('http://127.0.0.1:41234', { AZURE_CLIENT_SECRET: '' })).toEqual({ kind: 'none' });
    expect(adxAuthFor('https://localhost:8080', {})).toEqual({ kind: 'managedIdentity' });
    expect(adxAuthFor('http://kusto.internal:8080', {})).toEqual({ kind: 'managedIdentity' });
  });
});

describe('isLocalPlainHttp', () => {
  it('accepts loopback hosts over http only', () => {
    expect(isLocalPlainHttp('http://[::1]:8080')).toBe(true);
    expect(isLocalPlainHttp('http://127.9.0.1')).toBe(true);
    expect(isLocalPlainHttp('http://127.0.0.1.evil.example')).toBe(false);
    expect(isLocalPlainHttp('https://127.0.0.1')).toBe(false);
    expect(isLocalPlainHttp('not a url')).toBe(false);
  });
});
