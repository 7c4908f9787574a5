import type { Request, RequestHandler, Response } from 'express';
import { MAX_PAGE_ROWS } from '../limits.js';
import { HttpProblem } from '../problems.js';
import { queryParamsOf } from '../query-params.js';
import { isExportRequest, type Slots } from './export-slots.js';
import { isHead } from './security.js';
import { whenClosed } from './when-closed.js';

/** A page above this many rows is a heavy request (as are GeoJSON pages). */
export const HEAVY_PAGE_ROWS = 1_000;
const DEFAULT_PAGE_ROWS = 100;
const INTEGER = /^\d+$/;

/** Rows a list request asks for: its `limit` (clamped), the default page, or a full page for an export. */
export function requestedRows(req: Request): number {
  const limit = queryParamsOf(req).get('limit');
  if (limit !== null && INTEGER.test(limit)) return Math.min(MAX_PAGE_ROWS, Math.max(1, Number(limit)));
  return isExportRequest(req) ? MAX_PAGE_ROWS : DEFAULT_PAGE_ROWS;
}

/**
 * A page of rows. Not an aggregate: its `limit` caps groups (a count per month is a dozen numbers
 * whatever it says), and the explorer asks `limit=10000` for every chart and map; charging those as
 * 10,000-row pages refused its own views with 503 and spent a client's budget in three clicks.
 */
function isListRequest(req: Request): boolean {
  return (
    req.path.startsWith('/v1/') &&
    !req.path.startsWith('/v1/reports/') &&
    !req.path.startsWith('/v1/boundaries/') &&
    !req.path.endsWith('/aggregate') &&
    req.path !== '/v1/datasets'
  );
}

/** Large pages and GeoJSON (CSV and NDJSON, paged or not, have their own bound: export-slots.ts): the requests that cost the most CPU and memory. */
export function isHeavyRequest(req: Request): boolean {
  if (!isListRequest(req) || isExportRequest(req)) return false;
  const format = queryParamsOf(req).get('format');
  const geojson = format === 'geojson' || (format === null && /application\/geo\+json/i.test(req.headers.accept ?? ''));
  return geojson || requestedRows(req) > HEAVY_PAGE_ROWS;
}

/** How long a heavy request may wait for a slot, and how many may wait, before it is refused. */
export const HEAVY_WAIT_MS = 2_000;
export const HEAVY_MAX_WAITING = 32;

/**
 * Bounds heavy requests running at once. Beyond the bound a request waits (FIFO, at most
 * HEAVY_WAIT_MS, at most HEAVY_MAX_WAITING of them) for a slot, and is then refused with 503 and
 * `Retry-After`. Twenty clients looping over 10,000-row GeoJSON pages once took a cheap request
 * from p99 8 ms to 3.6 s, and the server to 421 MB. A waiting request costs no CPU; refused at
 * once, the same twenty loops came back ~900 times a second, and answering those refusals was
 * itself a load on the cheap requests' CPU.
 */
export function heavySlots(slots: Slots, waitMs = HEAVY_WAIT_MS, maxWaiting = HEAVY_MAX_WAITING): RequestHandler {
  return (req, res, next) => {
    if (isHead(res) || !isHeavyRequest(req)) {
      next();
      return;
    }
    let gone = false;
    const abandoned = (cancel: () => void) =>
      whenClosed(res, () => {
        gone = true;
        cancel();
      });
    void slots.acquire(waitMs, maxWaiting, abandoned).then((release) => {
      if (gone) {
        // The client left while it waited: nobody to answer, and the slot goes to the next.
        release?.();
        return;
      }
      if (!release) {
        next(new HttpProblem(503, 'Service Unavailable', `${slots.capacity} large pages (over ${HEAVY_PAGE_ROWS} rows, or GeoJSON) are already being served. Retry shortly, or ask for smaller pages.`));
        return;
      }
      whenClosed(res, release);
      next();
    });
  };
}

/** Where a list handler records the rows it served (`res.locals`), for the row budget to charge. */
export const ROWS_SERVED = 'rowsServed';

/** Records rows served by this response (called per page or per export batch). */
export function countRowsServed(res: Response, rows: number): void {
  res.locals[ROWS_SERVED] = ((res.locals[ROWS_SERVED] as number | undefined) ?? 0) + rows;
}

/**
 * A per-client budget of rows served (a token bucket per client IP, refilled continuously), so one
 * client cannot take the whole server with large pages while staying under the request-count
 * limit. A list request is admitted only if the budget covers the rows it asks for (its `limit`,
 * a full page for an export); once its response is over, the client is charged the rows actually
 * served (`countRowsServed`): a filtered page that finds 10 rows costs 10, a 304 or an error
 * nothing, an export every row it streamed (down to an empty budget, not below: exports have their
 * own bound). A request the budget cannot cover gets 429 with `Retry-After` (seconds until it can).
 */
export function rowBudget(rowsPerMinute: number, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = rowsPerMinute / 60_000;
  let lastSweep = now();
  const refill = (bucket: { tokens: number; at: number }, time: number) => {
    bucket.tokens = Math.min(rowsPerMinute, bucket.tokens + (time - bucket.at) * perMs);
    bucket.at = time;
  };
  return (req, res, next) => {
    if (isHead(res) || !isListRequest(req)) {
      next();
      return;
    }
    const time = now();
    if (time - lastSweep > 60_000) {
      // Full buckets carry no information: forget them, so memory follows the active clients.
      for (const [client, bucket] of buckets) if (bucket.tokens + (time - bucket.at) * perMs >= rowsPerMinute) buckets.delete(client);
      lastSweep = time;
    }
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const bucket = buckets.get(client) ?? { tokens: rowsPerMinute, at: time };
    refill(bucket, time);
    buckets.set(client, bucket);
    const asked = Math.min(requestedRows(req), rowsPerMinute);
    if (bucket.tokens < asked) {
      const seconds = Math.max(1, Math.ceil((asked - bucket.tokens) / perMs / 1000));
      res.setHeader('Retry-After', String(seconds));
      next(new HttpProblem(429, 'Too Many Requests', `This client has used its budget of ${rowsPerMinute} rows per minute. Wait ${seconds} s (Retry-After), or ask for fewer rows.`));
      return;
    }
    // Held while the request runs, so concurrent requests cannot each spend the same rows.
    bucket.tokens -= asked;
    whenClosed(res, () => {
      const served = (res.locals[ROWS_SERVED] as number | undefined) ?? 0;
      const current = buckets.get(client) ?? bucket;
      refill(current, now());
      current.tokens = Math.max(0, Math.min(rowsPerMinute, current.tokens + asked - served));
      buckets.set(client, current);
    });
    next();
  };
}
