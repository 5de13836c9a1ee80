/**
 * Azurite (the Azure Storage emulator, npm `azurite`) for tests: started in memory on 127.0.0.1
 * with ports the OS picks, stopped by `stop()`. Talks to it through the documented Storage REST
 * API with an account SAS signed by the emulator's well-known development key, so tests can hand
 * the same SAS URIs to the Kusto SDK and read back what it wrote.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Azurite's built-in development account (public, documented with the emulator). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const API_VERSION = '2021-08-06';

/** One message as Azure Queue storage returns it. */
export interface QueueMessage {
  readonly messageText: string;
  readonly dequeueCount: number;
}

/** A running Azurite with REST helpers bound to its development account. */
export interface Azurite {
  /** e.g. http://127.0.0.1:41234/devstoreaccount1 */
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
  /** Account SAS query string (no leading "?"), valid for blob, queue and table services. */
  readonly sas: string;
  /** `${blobEndpoint}/${container}?${sas}`: the form `.get ingestion resources` returns. */
  containerUri(container: string): string;
  queueUri(queue: string): string;
  tableUri(table: string): string;
  createContainer(container: string): Promise<void>;
  createQueue(queue: string): Promise<void>;
  createTable(table: string): Promise<void>;
  listBlobs(container: string): Promise<string[]>;
  downloadBlob(container: string, blob: string): Promise<Buffer>;
  /** Messages currently in `queue`, oldest first, without dequeuing them (max 32). */
  peekMessages(queue: string): Promise<QueueMessage[]>;
  stop(): Promise<void>;
}

/** Starts Azurite in memory; resolves once blob, queue and table services listen. */
export async function startAzurite(): Promise<Azurite> {
  const cwd = await mkdtemp(join(tmpdir(), 'tributary-azurite-'));
  const require = createRequire(import.meta.url);
  const entry = join(dirname(require.resolve('azurite/package.json')), 'dist/src/azurite.js');
  const child = spawn(
    process.execPath,
    [
      entry,
      ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
      ...['--queueHost', '127.0.0.1', '--queuePort', '0'],
      ...['--tableHost', '127.0.0.1', '--tablePort', '0'],
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let ports: Record<'Blob' | 'Queue' | 'Table', number>;
  try {
    ports = await waitForPorts(child);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(cwd, { recursive: true, force: true });
    throw error;
  }
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const blobEndpoint = endpoint(ports.Blob);
  const queueEndpoint = endpoint(ports.Queue);
  const tableEndpoint = endpoint(ports.Table);
  const sas = accountSas();

  return {
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    sas,
    containerUri: (c) => `${blobEndpoint}/${c}?${sas}`,
    queueUri: (q) => `${queueEndpoint}/${q}?${sas}`,
    tableUri: (t) => `${tableEndpoint}/${t}?${sas}`,
    async createContainer(container) {
      await storage('PUT', `${blobEndpoint}/${container}?restype=container&${sas}`, [201]);
    },
    async createQueue(queue) {
      await storage('PUT', `${queueEndpoint}/${queue}?${sas}`, [201, 204]);
    },
    async createTable(table) {
      const body = JSON.stringify({ TableName: table });
      await storage('POST', `${tableEndpoint}/Tables?${sas}`, [201, 204], body, {
        'content-type': 'application/json',
        accept: 'application/json;odata=nometadata',
      });
    },
    async listBlobs(container) {
      const xml = await storage(
        'GET',
        `${blobEndpoint}/${container}?restype=container&comp=list&${sas}`,
        [200],
      );
      return [...xml.toString('utf8').matchAll(/<Blob>\s*<Name>([^<]*)<\/Name>/g)].map((m) =>
        decodeXml(m[1]!),
      );
    },
    async downloadBlob(container, blob) {
      return storage('GET', `${blobEndpoint}/${container}/${encodeURIComponent(blob)}?${sas}`, [200]);
    },
    async peekMessages(queue) {
      const url = `${queueEndpoint}/${queue}/messages?peekonly=true&numofmessages=32&${sas}`;
      const xml = (await storage('GET', url, [200])).toString('utf8');
      return [...xml.matchAll(/<QueueMessage>([\s\S]*?)<\/QueueMessage>/g)].map((m) => ({
        messageText: decodeXml(/<MessageText>([\s\S]*?)<\/MessageText>/.exec(m[1]!)?.[1] ?? ''),
        dequeueCount: Number(/<DequeueCount>(\d+)<\/DequeueCount>/.exec(m[1]!)?.[1] ?? 0),
      }));
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

function waitForPorts(child: ChildProcess): Promise<Record<'Blob' | 'Queue' | 'Table', number>> {
  return new Promise((resolve, reject) => {
    const ports: Partial<Record<'Blob' | 'Queue' | 'Table', number>> = {};
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start within 30 s. Output:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const m of output.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g,
      )) {
        ports[m[1] as 'Blob' | 'Queue' | 'Table'] = Number(m[2]);
      }
      if (ports.Blob && ports.Queue && ports.Table) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so Azurite never blocks on a full pipe
        resolve(ports as Record<'Blob' | 'Queue' | 'Table', number>);
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) =>
      fail(new Error(`Azurite exited with code ${code} before listening:\n${output}`)),
    );
    child.once('error', fail);
  });
}

// Account SAS, signed as documented in "Create an account SAS" (version 2020-12-06 and later).
function accountSas(): string {
  const params = {
    sv: API_VERSION,
    ss: 'bqt',
    srt: 'sco',
    sp: 'rwdlacup',
    se: '2099-01-01T00:00:00Z',
    spr: 'https,http',
  };
  const stringToSign = [
    AZURITE_ACCOUNT,
    params.sp,
    params.ss,
    params.srt,
    '', // start
    params.se,
    '', // IP range
    params.spr,
    params.sv,
    '', // encryption scope
    '',
  ].join('\n');
  const sig = createHmac('sha256', Buffer.from(AZURITE_KEY, 'base64'))
    .update(stringToSign, 'utf8')
    .digest('base64');
  return new URLSearchParams({ ...params, sig }).toString();
}

async function storage(
  method: string,
  url: string,
  expected: number[],
  body?: string,
  headers: Record<string, string> = {},
): Promise<Buffer> {
  const response = await fetch(url, { method, body, headers: { 'x-ms-version': API_VERSION, ...headers } });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!expected.includes(response.status)) {
    throw new Error(
      `Azurite ${method} ${url.split('?')[0]} answered ${response.status}: ${bytes.toString('utf8')}`,
    );
  }
  return bytes;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
