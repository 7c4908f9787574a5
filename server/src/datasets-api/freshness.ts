import { hash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';

/** Responses may be reused for a minute; a sync changes the validators, so revalidation is cheap. */
const CACHE_CONTROL = 'public, max-age=60';

/**
 * How long a read of the sync time is reused. Syncs are minutes apart; without this every request
 * would pay a second database round trip just to compute its ETag. Validators therefore follow
 * a sync within this many milliseconds.
 */
export const SYNC_TIME_REUSE_MS = 1_000;

const syncTimes = new WeakMap<Knex, Map<string, { at: Promise<Date | null>; until: number }>>();

/** When the datasets' last successful sync (or sample load) finished; null if never. */
export function lastSyncOf(knex: Knex, datasetKeys: readonly string[]): Promise<Date | null> {
  let cache = syncTimes.get(knex);
  if (!cache) syncTimes.set(knex, (cache = new Map()));
  const key = datasetKeys.join(',');
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.at;
  const at = readLastSync(knex, datasetKeys);
  cache.set(key, { at, until: Date.now() + SYNC_TIME_REUSE_MS });
  // A failed read is not reused.
  at.catch(() => cache.delete(key));
  return at;
}

async function readLastSync(knex: Knex, datasetKeys: readonly string[]): Promise<Date | null> {
  const row = (await knex('api.sync_state').whereIn('dataset', datasetKeys).max({ at: 'last_success_at' }).first()) as { at: string | null } | undefined;
  return row?.at ? new Date(row.at) : null;
}

/**
 * Sets `ETag`, `Last-Modified`, `Cache-Control` and `Vary`, and answers 304 when the client's
 * copy is current. The ETag covers the data version (last sync), the URL and the chosen format,
 * so any change of query, format or data yields a new one. Returns true when a 304 was sent.
 */
export function answerFromCache(req: Request, res: Response, lastSync: Date | null, variant: string): boolean {
  const version = lastSync ? lastSync.toISOString() : 'never-loaded';
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
