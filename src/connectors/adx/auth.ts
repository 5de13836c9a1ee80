/**
 * How the ADX sink authenticates: a small tagged union that maps one-to-one onto the SDK's
 * KustoConnectionStringBuilder factories, plus what is safe to say about it in logs and errors.
 */
import { KustoConnectionStringBuilder } from 'azure-kusto-data';

/** An Azure credential object (e.g. from @azure/identity), as the SDK accepts it. */
export type AdxTokenCredential = Parameters<typeof KustoConnectionStringBuilder.withTokenCredential>[1];

/**
 * Authentication for ADX:
 * - `appKey`: an Entra ID application (client id + secret) in a tenant.
 * - `managedIdentity`: the machine's system-assigned identity, or a user-assigned one by `clientId`.
 * - `azCli`: whoever is logged in with `az login` (development).
 * - `accessToken`: a bearer token you obtained yourself (a user token); it is not refreshed.
 * - `tokenProvider`: a function returning a fresh bearer token on each request.
 * - `tokenCredential`: any Azure `TokenCredential`.
 * - `none`: no Authorization header, for a local emulator or stand-in on loopback.
 */
export type AdxAuth =
  | {
      readonly kind: 'appKey';
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | { readonly kind: 'managedIdentity'; readonly clientId?: string }
  | { readonly kind: 'azCli'; readonly tenantId?: string }
  | { readonly kind: 'accessToken'; readonly token: string }
  | { readonly kind: 'tokenProvider'; readonly getToken: () => Promise<string> }
  | { readonly kind: 'tokenCredential'; readonly credential: AdxTokenCredential }
  | { readonly kind: 'none' };

/**
 * Builds a fresh connection-string builder for `url` (the SDK mutates the builder it is given,
 * so every client gets its own).
 */
export function toConnectionStringBuilder(url: string, auth: AdxAuth): KustoConnectionStringBuilder {
  switch (auth.kind) {
    case 'appKey':
      return KustoConnectionStringBuilder.withAadApplicationKeyAuthentication(
        url,
        auth.clientId,
        auth.clientSecret,
        auth.tenantId,
      );
    case 'managedIdentity':
      return auth.clientId
        ? KustoConnectionStringBuilder.withUserManagedIdentity(url, auth.clientId)
        : KustoConnectionStringBuilder.withSystemManagedIdentity(url);
    case 'azCli':
      return KustoConnectionStringBuilder.withAzLoginIdentity(url, auth.tenantId);
    case 'accessToken':
      return KustoConnectionStringBuilder.withAccessToken(url, auth.token);
    case 'tokenProvider':
      return KustoConnectionStringBuilder.withTokenProvider(url, auth.getToken);
    case 'tokenCredential':
      return KustoConnectionStringBuilder.withTokenCredential(url, auth.credential);
    case 'none':
      return new KustoConnectionStringBuilder(url);
  }
}

/** A log-safe description of the authentication: its kind and public identifiers, never a secret. */
export function describeAuth(auth: AdxAuth): string {
  switch (auth.kind) {
    case 'appKey':
      return `Entra ID application ${auth.clientId} in tenant ${auth.tenantId}`;
    case 'managedIdentity':
      return auth.clientId
        ? `user-assigned managed identity ${auth.clientId}`
        : 'system-assigned managed identity';
    case 'azCli':
      return 'Azure CLI login';
    case 'accessToken':
      return 'a caller-supplied access token';
    case 'tokenProvider':
      return 'a caller-supplied token provider';
    case 'tokenCredential':
      return 'a caller-supplied token credential';
    case 'none':
      return 'no authentication';
  }
}

/** The secret strings carried by `auth`, to be scrubbed from any text the sink logs or throws. */
export function secretsOf(auth: AdxAuth): string[] {
  switch (auth.kind) {
    case 'appKey':
      return [auth.clientSecret];
    case 'accessToken':
      return [auth.token];
    default:
      return [];
  }
}
