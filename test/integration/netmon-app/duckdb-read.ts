/** Reads the monitor's DuckDB tables after a run. */
import { DuckDBInstance } from '@duckdb/node-api';

/** An alert row as the monitor stores it. */
export interface StoredAlert {
  detector: string;
  srcIp: string;
  windowStartMs: number;
  windowEndMs: number;
  severity: string;
}

/** Every row of the Alerts table, and the number of PacketStats rows. */
export async function readMonitorTables(file: string): Promise<{ alerts: StoredAlert[]; statsRows: number }> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    const alerts = await connection.runAndReadAll(
      `SELECT detector, srcIp, epoch_ms(windowStart)::DOUBLE AS windowStartMs, epoch_ms(windowEnd)::DOUBLE AS windowEndMs, severity FROM Alerts`,
    );
    const stats = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM PacketStats');
    return {
      alerts: alerts.getRowObjects() as unknown as StoredAlert[],
      statsRows: Number(stats.getRowObjects()[0]!.n),
    };
  } finally {
    instance.closeSync();
  }
}
