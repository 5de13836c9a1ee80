/**
 * Where windowed statistics and alerts are kept: DuckDB (embedded default; one database file, two
 * tables) and/or Azure Data Explorer (production; the flagship tables of
 * src/connectors/adx/network-monitor-tables.ts, created if missing). Credentials for ADX come from
 * the environment and are never printed.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { SinkConnector } from '../../../src/runtime/connector.js';
import type { Alert, SourceWindowStats } from '../types.js';
import { adxAuthFor } from './adx-auth.js';
import { explainAdxSetupFailure } from './adx-setup-error.js';
import {
  adxAlertRow,
  adxStatsRow,
  DUCKDB_ALERT_COLUMNS,
  DUCKDB_STATS_COLUMNS,
  duckDbAlertRow,
  duckDbStatsRow,
} from './table-rows.js';

/** The sinks of closed window statistics and of alerts. */
export interface ResultStores {
  readonly statsSinks: SinkConnector<string, SourceWindowStats>[];
  readonly alertSinks: SinkConnector<string, Alert>[];
  /** Closes what the sinks do not close themselves (the shared DuckDB instance). */
  close(): Promise<void>;
}

/** Which stores to open. */
export interface ResultStoreOptions {
  readonly duckdb?: string | undefined;
  /** Delete the DuckDB file first (the demo starts from a clean file each run). */
  readonly freshDuckdb?: boolean;
  readonly adx?: { readonly clusterUrl: string; readonly database: string } | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/** Opens the requested stores. */
export async function openResultStores(options: ResultStoreOptions): Promise<ResultStores> {
  const statsSinks: SinkConnector<string, SourceWindowStats>[] = [];
  const alertSinks: SinkConnector<string, Alert>[] = [];
  let instance: DuckDBInstance | undefined;
  // The stores' SDKs load only when used (the Azure SDK alone takes seconds).
  if (options.duckdb) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { duckDbSink } = await import('../../../src/connectors/duckdb/index.js');
    const { columnsFromSpec, createTableSql } = await import('../../../src/connectors/duckdb/columns.js');
    const { ALERTS_TABLE, PACKET_STATS_TABLE } = await import(
      '../../../src/connectors/adx/network-monitor-tables.js'
    );
    mkdirSync(dirname(options.duckdb), { recursive: true });
    if (options.freshDuckdb) {
      rmSync(options.duckdb, { force: true });
      rmSync(`${options.duckdb}.wal`, { force: true });
    }
    instance = await DuckDBInstance.create(options.duckdb, { threads: '1' }).catch((error: Error) => {
      throw new Error(
        `Could not open the DuckDB file "${options.duckdb}": ${error.message}. Check that its folder is writable ` +
          'and that no other process (another monitor, the duckdb CLI) has it open.',
      );
    });
    // Both tables exist from the start, so a run without alerts still has an (empty) Alerts table.
    const setup = await instance.connect();
    await setup.run(createTableSql(PACKET_STATS_TABLE.table, columnsFromSpec(DUCKDB_STATS_COLUMNS)));
    await setup.run(createTableSql(ALERTS_TABLE.table, columnsFromSpec(DUCKDB_ALERT_COLUMNS)));
    setup.closeSync();
    statsSinks.push(
      await duckDbSink<string, SourceWindowStats>({
        database: instance,
        table: PACKET_STATS_TABLE.table,
        columns: DUCKDB_STATS_COLUMNS,
        toRow: (r) => duckDbStatsRow(r.value),
      }),
    );
    alertSinks.push(
      await duckDbSink<string, Alert>({
        database: instance,
        table: ALERTS_TABLE.table,
        columns: DUCKDB_ALERT_COLUMNS,
        toRow: (r) => duckDbAlertRow(r.value),
      }),
    );
  }
  if (options.adx) {
    const { ALERTS_TABLE, adxSink, defaultMappingName, ensureAdxTable, PACKET_STATS_TABLE } = await import(
      '../../../src/connectors/adx/index.js'
    );
    const { clusterUrl, database } = options.adx;
    const auth = adxAuthFor(clusterUrl, options.env ?? process.env);
    try {
      for (const schema of [PACKET_STATS_TABLE, ALERTS_TABLE]) {
        await ensureAdxTable({ clusterUrl, database, auth, schema, mappingName: defaultMappingName(schema) });
      }
    } catch (error) {
      instance?.closeSync();
      throw explainAdxSetupFailure(error, { clusterUrl, database, auth });
    }
    statsSinks.push(
      adxSink<string, SourceWindowStats>({
        clusterUrl,
        database,
        auth,
        table: PACKET_STATS_TABLE.table,
        mappingName: defaultMappingName(PACKET_STATS_TABLE),
        rowMapper: (r) => adxStatsRow(r.value),
      }),
    );
    alertSinks.push(
      adxSink<string, Alert>({
        clusterUrl,
        database,
        auth,
        table: ALERTS_TABLE.table,
        mappingName: defaultMappingName(ALERTS_TABLE),
        rowMapper: (r) => adxAlertRow(r.value),
      }),
    );
  }
  return {
    statsSinks,
    alertSinks,
    async close() {
      instance?.closeSync();
    },
  };
}
