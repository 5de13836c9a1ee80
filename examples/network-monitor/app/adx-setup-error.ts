/**
 * Turns a failed ADX table setup (the first thing the monitor asks of the cluster) into a message
 * that says what is wrong in the user's terms (wrong URL, failed sign-in, missing rights) and what
 * to do. The setup error is already free of secrets; this only rewords it.
 */
import { type AdxAuth, describeAuth } from '../../../src/connectors/adx/index.js';

/** Where the setup ran. */
export interface AdxSetupTarget {
  readonly clusterUrl: string;
  readonly database: string;
  readonly auth: AdxAuth;
}

/** ensureAdxTable's messages say `... (<reason>: <detail>). Command: ...`. */
const REASON = /\(((?:[^()]|\([^()]*\))*)\)\. Command:/;

/** An Error that explains `error` (from ensureAdxTable) for the command line; the cause is kept. */
export function explainAdxSetupFailure(error: unknown, target: AdxSetupTarget): Error {
  const message = (error as Error)?.message ?? String(error);
  const said = REASON.exec(message)?.[1] ?? message;
  const who = describeAuth(target.auth);
  const explained = (text: string) => new Error(`${text} (${said})`, { cause: error });
  if (/token acquisition failed|authentication failed|credential/i.test(said)) {
    const fix =
      target.auth.kind === 'appKey'
        ? "Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (the app registration), or unset them to use the machine's managed identity."
        : 'This machine has no usable managed identity: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for an app registration.';
    return explained(`Could not sign in to ADX as ${who}. ${fix}`);
  }
  if (/^HTTP 40[13]\b/.test(said)) {
    return explained(
      `The ADX cluster ${target.clusterUrl} refused ${who} on database ${target.database}. Grant it the ` +
        'Database User role (the monitor creates the PacketStats and Alerts tables) and Database Ingestor, ' +
        'or check that the credentials are the intended ones.',
    );
  }
  if (/network error/.test(said)) {
    return explained(
      `Could not reach the ADX cluster ${target.clusterUrl}. Check --adx-cluster (the cluster URI from the ` +
        'Azure portal, e.g. https://mycluster.westeurope.kusto.windows.net) and that this machine can reach it.',
    );
  }
  if (/^HTTP 404\b/.test(said) || /database .* (does not exist|not found)/i.test(said)) {
    return explained(
      `The ADX cluster ${target.clusterUrl} has no database ${target.database} (or it is not visible to ${who}). ` +
        'Check --adx-database.',
    );
  }
  return explained(
    `Could not set up the PacketStats and Alerts tables in ADX database ${target.database} on ${target.clusterUrl}.`,
  );
}
