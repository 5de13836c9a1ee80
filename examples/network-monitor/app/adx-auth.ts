/**
 * How the monitor authenticates to ADX, from its environment: an Entra ID app registration when
 * `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` are set, else the machine's managed
 * identity; no authentication for a plain-http cluster on this machine (the Kusto emulator, which
 * listens on http://localhost:8080 and takes no token) unless credentials are set.
 */
import type { AdxAuth } from '../../../src/connectors/adx/index.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `http://localhost:...`, `http://127.x.y.z:...` and `http://[::1]:...`. */
export function isLocalPlainHttp(clusterUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(clusterUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
}

/** The authentication for `clusterUrl` under `env` (see the file comment for the order). */
export function adxAuthFor(clusterUrl: string, env: NodeJS.ProcessEnv): AdxAuth {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret } = env;
  if (tenantId && clientId && clientSecret) return { kind: 'appKey', tenantId, clientId, clientSecret };
  if (clientId) return { kind: 'managedIdentity', clientId };
  return isLocalPlainHttp(clusterUrl) ? { kind: 'none' } : { kind: 'managedIdentity' };
}
