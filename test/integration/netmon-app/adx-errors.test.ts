/**
 * The monitor's ADX failures as a user meets them, spawned with `--adx-cluster`: a cluster that
 * cannot be reached, a cluster that refuses the principal (HTTP 401 from the Kusto stand-in), and
 * an app registration whose sign-in fails (the identity endpoint points at a closed loopback port).
 * Each ends the run with exit status 1 and a message that says what to check; the app key never
 * appears in the output nor in any request to the cluster. Also a failure after setup: queued
 * ingestion whose storage cannot be reached.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CAPTURE, writeCapture } from '../../../examples/network-monitor/traffic/index.js';
import { KustoStandIn, kustoError } from '../../helpers/kusto-stand-in.js';
import { runMonitorCli } from './run-cli.js';

const SECRET = 'netmon-test-Secret~7hQ.app-key';
const NO_CREDENTIALS = { AZURE_TENANT_ID: '', AZURE_CLIENT_ID: '', AZURE_CLIENT_SECRET: '' };
const dir = mkdtempSync(join(tmpdir(), 'netmon-adx-errors-'));
const pcap = join(dir, 'short.pcap');
let kusto: KustoStandIn;

beforeAll(async () => {
  writeCapture({ ...E2E_CAPTURE, durationS: 60, anomalies: [] }, pcap); // long enough to close windows
  kusto = await KustoStandIn.start();
});

afterAll(async () => {
  await kusto?.stop();
});

function adxRun(clusterUrl: string, env: Record<string, string>) {
  return runMonitorCli(
    ['--pcap', pcap, '--no-tty', '--adx-cluster', clusterUrl, '--adx-database', 'NetMon'],
    env,
  );
}

describe('network monitor ADX errors (spawned run)', () => {
  it('rejects a cluster that is not a URL, or one of the two flags alone, with exit 2', async () => {
    const notUrl = await runMonitorCli([
      '--pcap',
      pcap,
      '--adx-cluster',
      'mycluster',
      '--adx-database',
      'NetMon',
    ]);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('--adx-cluster must be the cluster URL');
    expect(notUrl.stderr).toContain('"mycluster"');
    const alone = await runMonitorCli(['--pcap', pcap, '--adx-cluster', 'https://c.kusto.windows.net']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--adx-cluster and --adx-database go together');
  });

  it('says the cluster cannot be reached and to check --adx-cluster', { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await adxRun('http://127.0.0.1:9', NO_CREDENTIALS);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^netmon: Could not reach the ADX cluster http:\/\/127\.0\.0\.1:9\. Check --adx-cluster/m,
    );
    expect(stderr).toContain('ECONNREFUSED');
    expect(stdout).not.toMatch(/"packets":/); // no summary: the run never started
  });

  it('says the cluster refused the principal and which roles it needs', { timeout: 120_000 }, async () => {
    kusto.scriptMgmt({
      status: 401,
      body: kustoError('Unauthorized', 'Principal is not authorized to access database NetMon', true),
    });
    const { code, stderr } = await adxRun(kusto.url, NO_CREDENTIALS);
    expect(code).toBe(1);
    expect(stderr).toContain(`The ADX cluster ${kusto.url} refused`);
    expect(stderr).toContain('Database User role');
    expect(stderr).toContain('HTTP 401: Principal is not authorized to access database NetMon');
  });

  it('fails the run when queued ingestion cannot reach storage, naming the table', {
    timeout: 120_000,
  }, async () => {
    // This stand-in lists no ingestion resources: the tables are set up, every upload fails.
    const { code, stderr } = await adxRun(kusto.url, NO_CREDENTIALS);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^netmon: Sink "adx:NetMon\.(PacketStats|Alerts)" had not recovered/m);
    expect(stderr).toContain('storage unavailable');
    expect(stderr).toContain(`check that ${kusto.url} is reachable`);
  });

  it('says sign-in failed for which app, and never prints the app key', { timeout: 120_000 }, async () => {
    const before = kusto.requests.length;
    const { code, stdout, stderr } = await adxRun(kusto.url, {
      AZURE_TENANT_ID: '00000000-0000-0000-0000-00000000000a',
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-00000000000b',
      AZURE_CLIENT_SECRET: SECRET,
      // The identity library signs in here: a closed loopback port, never the internet.
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
      NETMON_DEBUG: '1', // the stack trace too must be free of the key
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'Could not sign in to ADX as Entra ID application 00000000-0000-0000-0000-00000000000b in tenant 00000000-0000-0000-0000-00000000000a',
    );
    expect(stderr).toContain('AZURE_CLIENT_SECRET');
    expect(stdout + stderr).not.toContain(SECRET);
    for (const request of kusto.requests.slice(before)) {
      expect(JSON.stringify(request.headers) + request.body.toString('utf8')).not.toContain(SECRET);
    }
  });
});
