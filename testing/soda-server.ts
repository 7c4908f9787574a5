import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SoqlError } from './soql.js';
import { SodaStore } from './soda-store.js';

/**
 * The project's own SODA-compatible portal for tests and benchmarks (never used by the
 * product): `GET /resource/{id}.json` with `$select/$where/$order/$limit/$offset`, values as
 * strings, `GET /api/views/{id}.json` (the dataset's metadata with its `columns`), Socrata's
 * error bodies, and seeded fault injection.
 */
export type FaultKind = '429' | '500' | '503' | 'truncate';

export interface FaultOptions {
  /** Share of requests that fail, 0..1. */
  readonly probability: number;
  readonly seed?: number;
  readonly kinds?: readonly FaultKind[];
  readonly retryAfterSeconds?: number;
}

export interface SodaServerOptions {
  readonly store?: SodaStore;
  readonly faults?: FaultOptions;
  /** Milliseconds to wait before answering each request (to make a sync slow enough to kill). */
  readonly delayMs?: number;
  readonly host?: string;
}

export interface SodaServerStats {
  requests: number;
  faults: number;
  /** Every `X-App-Token` seen, to check that the client sends it. */
  readonly appTokens: Set<string>;
}

export interface SodaTestServer {
  readonly url: string;
  readonly store: SodaStore;
  readonly stats: SodaServerStats;
  setFaults(faults: FaultOptions | undefined): void;
  setDelay(delayMs: number): void;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 1000;

export async function startSodaServer(options: SodaServerOptions = {}): Promise<SodaTestServer> {
  const store = options.store ?? new SodaStore();
  const stats: SodaServerStats = { requests: 0, faults: 0, appTokens: new Set() };
  let faults = options.faults;
  let random = seededRandom(faults?.seed ?? 1);
  let delayMs = options.delayMs ?? 0;

  const server = createServer((request, response) => {
    stats.requests += 1;
    recordToken(stats, request.headers);
    const respond = () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = /^\/(resource|api\/views)\/([^/]+)\.json$/.exec(url.pathname);
      if (request.method !== 'GET' || !match) return sendError(response, 404, 'not-found', 'Not found', {});
      const portalId = decodeURIComponent(match[2]!);
      const fault = faults && random() < faults.probability ? pickFault(faults, random) : undefined;
      if (fault && fault !== 'truncate') {
        stats.faults += 1;
        if (fault === '429') response.setHeader('retry-after', String(faults!.retryAfterSeconds ?? 0));
        return sendError(response, Number(fault), fault === '429' ? 'throttled' : 'internal', 'injected fault', {});
      }
      if (!store.has(portalId)) return sendError(response, 404, 'dataset.missing', 'Not found', { id: portalId });
      if (match[1] === 'api/views') {
        response.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        return response.end(JSON.stringify(viewMetadata(store, portalId)));
      }
      let body: string;
      try {
        const rows = store.query(portalId, {
          select: url.searchParams.get('$select'),
          where: url.searchParams.get('$where'),
          order: url.searchParams.get('$order'),
          limit: count(url.searchParams.get('$limit'), DEFAULT_LIMIT),
          offset: count(url.searchParams.get('$offset'), 0),
        });
        body = rows.length ? `[${rows.map(serialized).join('\n,')}]\n` : '[]\n';
      } catch (error) {
        if (error instanceof SoqlError) return sendError(response, 400, error.code, error.message, { query: url.search });
        throw error;
      }
      response.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      if (fault === 'truncate') {
        stats.faults += 1;
        // The connection drops mid-body, as a proxy or a flaky network does.
        response.write(body.slice(0, Math.floor(body.length / 2)), () => response.destroy());
        return;
      }
      response.end(body);
    };
    if (delayMs > 0) setTimeout(respond, delayMs);
    else respond();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    stats,
    setFaults(next) {
      faults = next;
      random = seededRandom(next?.seed ?? 1);
    },
    setDelay(next) {
      delayMs = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Stored rows are never changed in place (an update replaces the object), so their JSON can be kept. */
const json = new WeakMap<object, string>();

/**
 * Serializes rows ahead of the requests that will serve them. The real portal's serializing is
 * done on its own machines; a benchmark calls this so that the portal it runs locally does not
 * take CPU from the ingest being measured.
 */
export function serializeAhead(rows: readonly object[]): void {
  for (const row of rows) serialized(row);
}

function serialized(row: object): string {
  let text = json.get(row);
  if (text === undefined) {
    text = JSON.stringify(row);
    json.set(row, text);
  }
  return text;
}

/**
 * The portal's `GET /api/views/{id}.json`, trimmed to what matters here but shaped like the real
 * one: view fields (`id`, `name`, `assetType`, `rowsUpdatedAt` in epoch seconds) and `columns[]`
 * with `id`, `name`, `fieldName`, `position`, `dataTypeName` and `renderTypeName`. System fields
 * (`:id`, `:updated_at`, …) are not listed, as on the portal.
 */
export function viewMetadata(store: SodaStore, portalId: string): object {
  const columns = [...store.types(portalId)]
    .filter(([fieldName]) => !fieldName.startsWith(':'))
    .map(([fieldName, dataTypeName], index) => ({
      id: 100_000 + index,
      name: fieldName,
      dataTypeName,
      fieldName,
      position: index + 1,
      renderTypeName: dataTypeName,
    }));
  const newest = store.rows(portalId).reduce((latest, row) => Math.max(latest, Date.parse(String(row[':updated_at'])) || 0), 0);
  return { id: portalId, name: portalId, assetType: 'dataset', displayType: 'table', rowsUpdatedAt: Math.floor(newest / 1000), columns };
}

function count(text: string | null, fallback: number): number {
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new SoqlError('query.compiler.malformed', `"${text}" is not a row count`);
  return value;
}

function sendError(response: ServerResponse, status: number, code: string, message: string, data: object): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  response.end(JSON.stringify({ code, error: true, message, data }));
}

function recordToken(stats: SodaServerStats, headers: IncomingHttpHeaders): void {
  const token = headers['x-app-token'];
  if (typeof token === 'string') stats.appTokens.add(token);
}

function pickFault(faults: FaultOptions, random: () => number): FaultKind {
  const kinds = faults.kinds?.length ? faults.kinds : (['429', '500', '503', 'truncate'] as const);
  return kinds[Math.floor(random() * kinds.length)]!;
}

/** mulberry32: small, fast and repeatable, so a failing fault pattern can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
