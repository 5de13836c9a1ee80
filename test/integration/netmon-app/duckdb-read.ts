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

/** Every row of both tables, timestamps as epoch milliseconds, alert evidence parsed. */
export async function readMonitorRows(
  file: string,
): Promise<{ stats: Record<string, unknown>[]; alerts: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    const stats = await connection.runAndReadAll(
      `SELECT epoch_ms(windowStart)::DOUBLE AS windowStart, epoch_ms(windowEnd)::DOUBLE AS windowEnd, srcIp,
         packets::DOUBLE AS packets, bytes::DOUBLE AS bytes, distinctDstPorts::DOUBLE AS distinctDstPorts,
         distinctDstHosts::DOUBLE AS distinctDstHosts, synCount::DOUBLE AS synCount,
         synAckCount::DOUBLE AS synAckCount, synAckReceivedCount::DOUBLE AS synAckReceivedCount,
         avgResponseMs, maxResponseMs, nxdomainCount::DOUBLE AS nxdomainCount FROM PacketStats`,
    );
    const alerts = await connection.runAndReadAll(
      `SELECT epoch_ms(time)::DOUBLE AS time, id, severity, srcIp, detector,
         epoch_ms(windowStart)::DOUBLE AS windowStart, epoch_ms(windowEnd)::DOUBLE AS windowEnd, summary,
         evidence::VARCHAR AS evidence FROM Alerts`,
    );
    return {
      stats: stats.getRowObjects() as Record<string, unknown>[],
      alerts: (alerts.getRowObjects() as Record<string, unknown>[]).map((a) => ({
        ...a,
        evidence: JSON.parse(String(a.evidence)),
      })),
    };
  } finally {
    instance.closeSync();
  }
}
