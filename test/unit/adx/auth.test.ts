import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../../src/connectors/adx/auth.js';
import { type AdxAuth, describeAuth, toConnectionStringBuilder } from '../../../src/connectors/adx/index.js';

const URL = 'https://mycluster.westeurope.kusto.windows.net';

describe('AdxAuth to KustoConnectionStringBuilder', () => {
  it('maps an app key onto client id, key and tenant, and the builder prints it masked', () => {
    const kcsb = toConnectionStringBuilder(URL, {
      kind: 'appKey',
      tenantId: 'tenant-1',
      clientId: 'client-1',
      clientSecret: 'app-key-value',
    });
    expect(kcsb.dataSource).toBe(URL);
    expect(kcsb.applicationClientId).toBe('client-1');
    expect(kcsb.applicationKey).toBe('app-key-value');
    expect(kcsb.authorityId).toBe('tenant-1');
    expect(kcsb.aadFederatedSecurity).toBe(true);
    expect(kcsb.toString()).not.toContain('app-key-value');
  });

  it('maps system- and user-assigned managed identities', () => {
    const system = toConnectionStringBuilder(URL, { kind: 'managedIdentity' });
    expect(system.useManagedIdentityAuth).toBe(true);
    expect(system.msiClientId).toBeUndefined();
    const user = toConnectionStringBuilder(URL, { kind: 'managedIdentity', clientId: 'mi-1' });
    expect(user.useManagedIdentityAuth).toBe(true);
    expect(user.msiClientId).toBe('mi-1');
  });

  it('maps Azure CLI, access token, token provider and no authentication', async () => {
    const cli = toConnectionStringBuilder(URL, { kind: 'azCli', tenantId: 'tenant-2' });
    expect(cli.useAzLoginAuth).toBe(true);
    expect(cli.authorityId).toBe('tenant-2');
    expect(toConnectionStringBuilder(URL, { kind: 'accessToken', token: 'tok' }).accessToken).toBe('tok');
    const getToken = async () => 'fresh';
    expect(toConnectionStringBuilder(URL, { kind: 'tokenProvider', getToken }).tokenProvider).toBe(getToken);
    const none = toConnectionStringBuilder(URL, { kind: 'none' });
    expect(none.dataSource).toBe(URL);
    expect(none.aadFederatedSecurity).toBeFalsy();
    expect(none.tokenProvider ?? none.accessToken ?? none.applicationKey).toBeUndefined();
  });

  it('returns a fresh builder each time (the SDK rewrites dataSource in place)', () => {
    const auth: AdxAuth = { kind: 'none' };
    expect(toConnectionStringBuilder(URL, auth)).not.toBe(toConnectionStringBuilder(URL, auth));
  });
});

describe('describeAuth and secretsOf', () => {
  const appKey: AdxAuth = { kind: 'appKey', tenantId: 't', clientId: 'c', clientSecret: 's3cr3t-value' };

  it('describes with public identifiers only', () => {
    expect(describeAuth(appKey)).toBe('Entra ID application c in tenant t');
    expect(describeAuth({ kind: 'accessToken', token: 'tok-123456' })).toBe('a caller-supplied access token');
    expect(describeAuth({ kind: 'managedIdentity', clientId: 'mi' })).toBe(
      'user-assigned managed identity mi',
    );
  });

  it('lists the secrets to scrub', () => {
    expect(secretsOf(appKey)).toEqual(['s3cr3t-value']);
    expect(secretsOf({ kind: 'accessToken', token: 'tok-123456' })).toEqual(['tok-123456']);
    expect(secretsOf({ kind: 'azCli' })).toEqual([]);
  });
});
