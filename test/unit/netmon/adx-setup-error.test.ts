import { describe, expect, it } from 'vitest';
import { explainAdxSetupFailure } from '../../../examples/network-monitor/app/adx-setup-error.js';

const CLUSTER = 'https://mycluster.westeurope.kusto.windows.net';
const target = { clusterUrl: CLUSTER, database: 'NetMon', auth: { kind: 'managedIdentity' } as const };

/** An error worded as ensureAdxTable words them. */
function setupError(reason: string): Error {
  return new Error(
    `ADX command failed on ${CLUSTER}, database NetMon (${reason}). Command: .create-merge table ['PacketStats'] (['srcIp']:string). The principal needs Table Admin rights.`,
  );
}

describe('explainAdxSetupFailure', () => {
  it('keeps what ADX said, drops the command, and keeps the original as the cause', () => {
    const original = setupError('HTTP 403: Forbidden (principal lacks rights)');
    const explained = explainAdxSetupFailure(original, target);
    expect(explained.message).toContain('(HTTP 403: Forbidden (principal lacks rights))');
    expect(explained.message).not.toContain('.create-merge');
    expect(explained.cause).toBe(original);
  });

  it('tells a machine without a managed identity to set the app registration variables', () => {
    const explained = explainAdxSetupFailure(
      setupError('token acquisition failed: network error (ECONNREFUSED): no IMDS'),
      target,
    );
    expect(explained.message).toMatch(/^Could not sign in to ADX as system-assigned managed identity\./);
    expect(explained.message).toContain('set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET');
  });

  it('says a 404 is about the database name', () => {
    const explained = explainAdxSetupFailure(setupError('HTTP 404: not found'), target);
    expect(explained.message).toMatch(/has no database NetMon .*Check --adx-database\./);
  });

  it('falls back to naming the tables, the database and the cluster', () => {
    const explained = explainAdxSetupFailure(new Error('something else entirely'), target);
    expect(explained.message).toBe(
      `Could not set up the PacketStats and Alerts tables in ADX database NetMon on ${CLUSTER}. (something else entirely)`,
    );
  });
});
