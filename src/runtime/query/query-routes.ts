import {
  BadRequestError,
  checkOrder,
  keyFormatOf,
  limitParam,
  parseKey,
  required,
  take,
  timeParam,
} from './http-params.js';
import type { InstanceMetadata, KeyQueryMetadata } from './query-metadata.js';
import type { StoreDescription } from './store-queries.js';
import type { QueryableStore } from './store-views.js';

/** What the query server asks of an app (StreamsApp has it all). */
export interface QueryableApp {
  store(name: string): QueryableStore;
  queryMetadataForKey(name: string, key: unknown): Promise<KeyQueryMetadata>;
  allMetadata(): Promise<InstanceMetadata[]>;
  queryableStores(): StoreDescription[];
}

/** An answer: a status and a JSON body. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

const ALL_TIME = { from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER };

/**
 * Answers one GET. Paths: /stores, /stores/:name/keys/:key, /stores/:name/range?from&to,
 * /stores/:name/all, /stores/:name/windows?key&from&to, /stores/:name/sessions?key&from&to,
 * /stores/:name/metadata/:key, /metadata. Key lookups of keys another instance holds answer
 * 421 with that instance's { host, port }.
 */
export async function route(app: QueryableApp, url: URL, maxResults: number): Promise<RouteResult> {
  const parts = url.pathname
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodePart);
  const params = url.searchParams;
  if (parts.length === 1 && parts[0] === 'metadata') return ok({ instances: await app.allMetadata() });
  if (parts[0] !== 'stores') return notFound(`No route ${url.pathname}. Try /stores or /metadata.`);
  if (parts.length === 1) return ok({ stores: app.queryableStores() });
  const name = parts[1]!;
  const store = app.store(name);
  const format = keyFormatOf(params);
  const limit = limitParam(params, maxResults);
  const [, , action, keyText, ...rest] = parts;
  if (rest.length > 0) return notFound(`No route ${url.pathname}.`);
  if (action === undefined) return ok({ name, kind: store.kind });
  switch (action) {
    case 'keys': {
      if (keyText === undefined) return notFound('Name the key: /stores/:name/keys/:key.');
      const key = parseKey(keyText, format);
      const elsewhere = await ownerElsewhere(app, name, key);
      if (elsewhere) return elsewhere;
      const value = keyValue(store).get(key);
      if (value === undefined)
        return notFound(`Store "${name}" has no value for key ${JSON.stringify(key)}.`);
      return ok({ key, value });
    }
    case 'metadata': {
      if (keyText === undefined) return notFound('Name the key: /stores/:name/metadata/:key.');
      return ok(await app.queryMetadataForKey(name, parseKey(keyText, format)));
    }
    case 'range': {
      const from = parseKey(required(params, 'from'), format, 'from');
      const to = parseKey(required(params, 'to'), format, 'to');
      return ok(take(keyValue(store).range(from, to), limit));
    }
    case 'all':
      return ok(take(store.all(), limit));
    case 'windows': {
      const view = windowed(store);
      const from = timeParam(params, 'from', ALL_TIME.from);
      const to = timeParam(params, 'to', ALL_TIME.to);
      checkOrder(from, to);
      const keyText = params.get('key');
      if (keyText === null) return ok(take(view.fetchAll(from, to), limit));
      const key = parseKey(keyText, format);
      return (await ownerElsewhere(app, name, key)) ?? ok(take(view.fetchRange(key, from, to), limit));
    }
    case 'sessions': {
      const view = sessions(store);
      const key = parseKey(required(params, 'key'), format);
      const from = timeParam(params, 'from', ALL_TIME.from);
      const to = timeParam(params, 'to', ALL_TIME.to);
      checkOrder(from, to);
      return (await ownerElsewhere(app, name, key)) ?? ok(take(view.findSessions(key, from, to), limit));
    }
    default:
      return notFound(
        `No route ${url.pathname}. Stores answer /keys/:key, /range, /all, /windows, /sessions, /metadata/:key.`,
      );
  }
}

/** A 421 naming the instance that holds `key`, or undefined when it is this one. */
async function ownerElsewhere(
  app: QueryableApp,
  name: string,
  key: unknown,
): Promise<RouteResult | undefined> {
  const meta = await app.queryMetadataForKey(name, key);
  if (meta.local) return undefined;
  const where =
    meta.host !== undefined
      ? `${meta.host}:${meta.port}`
      : 'an instance that advertised no kafka.applicationServer';
  return {
    status: 421,
    body: {
      error: `Key ${JSON.stringify(key)} of store "${name}" is held by ${where} (partition ${meta.partition}); ask it there.`,
      host: meta.host ?? null,
      port: meta.port ?? null,
      partition: meta.partition,
    },
  };
}

function keyValue(store: QueryableStore) {
  if (store.kind !== 'key-value') throw wrongKind(store, 'key/value', '/windows or /sessions');
  return store;
}

function windowed(store: QueryableStore) {
  if (store.kind !== 'window')
    throw wrongKind(store, 'window', store.kind === 'session' ? '/sessions' : '/keys or /range');
  return store;
}

function sessions(store: QueryableStore) {
  if (store.kind !== 'session')
    throw wrongKind(store, 'session', store.kind === 'window' ? '/windows' : '/keys or /range');
  return store;
}

function wrongKind(store: QueryableStore, wanted: string, use: string): BadRequestError {
  return new BadRequestError(
    `Store "${store.name}" is a ${store.kind} store, not a ${wanted} store: use ${use}.`,
  );
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new BadRequestError(`"${part}" is not a valid URL path segment.`);
  }
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const notFound = (error: string): RouteResult => ({ status: 404, body: { error } });
