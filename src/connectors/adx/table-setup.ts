/**
 * Creates (or extends) an ADX table and its ingestion mapping from a schema, by running the
 * commands from kql.ts through azure-kusto-data's client against the cluster (query) endpoint.
 */
import { Client } from 'azure-kusto-data';
import { type AdxAuth, secretsOf, toConnectionStringBuilder } from './auth.js';
import { classifyAdxError } from './classify.js';
import {
  createCsvMappingCommand,
  createJsonMappingCommand,
  createMergeTableCommand,
  enableStreamingIngestionCommand,
} from './kql.js';
import { redactSecrets, sanitizedCause } from './redact.js';
import type { AdxTableSchema } from './schema.js';

/** What `ensureAdxTable` should create. */
export interface EnsureAdxTableOptions {
  readonly clusterUrl: string;
  readonly database: string;
  readonly auth: AdxAuth;
  readonly schema: AdxTableSchema;
  /** Name of the ingestion mapping to create or replace (none when omitted). */
  readonly mappingName?: string;
  /** Kind of that mapping. Default "json". */
  readonly mappingKind?: 'json' | 'csv';
  /** Also enable the table's streaming ingestion policy. Default false. */
  readonly enableStreaming?: boolean;
}

/** The management commands `ensureAdxTable` runs, in order (pure; handy for review or scripts). */
export function adxTableCommands(
  options: Omit<EnsureAdxTableOptions, 'clusterUrl' | 'database' | 'auth'>,
): string[] {
  const commands = [createMergeTableCommand(options.schema)];
  if (options.mappingName) {
    commands.push(
      options.mappingKind === 'csv'
        ? createCsvMappingCommand(options.schema, options.mappingName)
        : createJsonMappingCommand(options.schema, options.mappingName),
    );
  }
  if (options.enableStreaming) commands.push(enableStreamingIngestionCommand(options.schema.table));
  return commands;
}

/**
 * Runs `adxTableCommands` in order. Idempotent: `.create-merge` only adds missing columns and
 * `.create-or-alter` replaces the mapping. Throws naming the command that failed.
 */
export async function ensureAdxTable(options: EnsureAdxTableOptions): Promise<void> {
  const commands = adxTableCommands(options);
  const client = new Client(toConnectionStringBuilder(options.clusterUrl, options.auth));
  const secrets = secretsOf(options.auth);
  try {
    for (const command of commands) {
      try {
        await client.executeMgmt(options.database, command);
      } catch (error) {
        const failure = classifyAdxError(error);
        throw new Error(
          redactSecrets(
            `ADX command failed on ${options.clusterUrl}, database ${options.database} ` +
              `(${failure.reason}: ${failure.detail}). Command: ${command}. The principal needs ` +
              'Table Admin (or Database User to create tables) rights.',
            secrets,
          ),
          { cause: sanitizedCause(error, secrets) },
        );
      }
    }
  } finally {
    client.close();
  }
}
