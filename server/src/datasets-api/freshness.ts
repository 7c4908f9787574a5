import { hash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { sharedWork } from '../middleware/abandoned-work.js';

/** Responses may be reused for a minute; a write changes the validators, so revalidation is cheap. */
const CACHE_CONTROL = 'public, max-age=60';

/**
 * How long a read of the data version is reused. Writes are minutes apart; without this every
 * request would pay a second database round trip just to compute its ETag. Validators therefore
 * follow a write within this many milliseconds.
 */
export const DATA_VERSION_REUSE_MS = 1_000;

/** What the served bytes of some datasets depend on: their data version, and when it last moved. */
export interface DataVersion {
  /** Changes exactly when a writer changed the datasets (core/db/data-version.ts). */
  readonly version: string;
  readonly changedAt: Date;
}

const versions = new WeakMap<Knex, Map<string, { at: Promise<DataVersion | null>; until: number }>>();

/** The data version of the datasets (version keys, see core/db/data-version.ts); null if never written. */
export function dataVersionOf(knex: Knex, keys: readonly string[]): Promise<DataVersion | null> {
  let cache = versions.get(knex);
  if (!cache) versions.set(knex, (cache = new Map()));
  const key = keys.join(',');
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.at;
  const at = sharedWork(() => readDataVersion(knex, keys));
  cache.set(key, { at, until: Date.now() + DATA_VERSION_REUSE_MS });
  // A failed read is not reused.
  at.catch(() => cache.delete(key));
  return at;
}

async function readDataVersion(knex: Knex, keys: readonly string[]): Promise<DataVersion | null> {
  // Every key's version, so a write to any one of them changes the whole.
  const row = (await knex('api.data_version')
    .whereIn('dataset', keys)
    .first(knex.raw(`string_agg(version::text, '.' ORDER BY dataset) AS version`), knex.raw('max(changed_at) AS changed_at'))) as
    | { version: string | null; changed_at: string | Date | null }
    | undefined;
  return row?.version && row.changed_at ? { version: row.version, changedAt: new Date(row.changed_at) } : null;
}

/**
 * Sets `ETag`, `Last-Modified`, `Cache-Control` and `Vary`, and answers 304 when the client's
 * copy is current. The ETag covers the data version, the URL and the chosen format,
 * so any change of query, format or data yields a new one. Returns true when a 304 was sent.
 */
export function answerFromCache(req: Request, res: Response, data: DataVersion | null, variant: string): boolean {
  const lastSync = data?.changedAt ?? null;
  const version = data ? data.version : 'never-loaded';
  const tag = `W/"${hash('sha1', `${version}\n${req.originalUrl}\n${variant}`, 'base64url').slice(0, 27)}"`;
  res.setHeader('ETag', tag);
  res.setHeader('Cache-Control', CACHE_CONTROL);
  // Appended, not set: CORS with a list of origins has already added `Origin`.
  res.vary('Accept');
  if (lastSync) res.setHeader('Last-Modified', lastSync.toUTCString());
  const ifNoneMatch = req.headers['if-none-match'];
  const fresh = ifNoneMatch
    ? ifNoneMatch.split(',').some((candidate) => weakEqual(candidate.trim(), tag) || candidate.trim() === '*')
    : notModifiedSince(req.headers['if-modified-since'], lastSync);
  if (fresh) res.status(304).end();
  return fresh;
}

function weakEqual(a: string, b: string): boolean {
  return a.replace(/^W\//, '') === b.replace(/^W\//, '');
}

function notModifiedSince(header: string | undefined, lastSync: Date | null): boolean {
  if (!header || !lastSync) return false;
  const since = Date.parse(header);
  // HTTP dates have whole seconds.
  return Number.isFinite(since) && Math.floor(lastSync.getTime() / 1000) * 1000 <= since;
}
