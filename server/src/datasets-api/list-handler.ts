import type { Response } from 'express';
import type { DatasetDefinition } from '../../../core/datasets/index.js';
import type { AppDeps } from '../deps.js';
import { attachment } from '../download-name.js';
import { pageRows } from '../limits.js';
import { countRowsServed } from '../middleware/admission.js';
import { isHead } from '../middleware/security.js';
import { JsonText, RESPONDED, type Handler, type OperationId } from '../operations.js';
import { queryParamsOf } from '../query-params.js';
import { exportRows } from './export-stream.js';
import { chooseFormat, csvLine, csvRows, MEDIA_TYPES, pick, type ListFormat } from './formats.js';
import { answerFromCache, dataVersionOf } from './freshness.js';
import { responseWriter } from './response-writer.js';
import { filteredRows, readJsonPage, readListRequest, readPage, type ListRequest } from './list-query.js';
import { listSurface, type ListSurface } from '../../../core/datasets/list-surface.js';

/**
 * `GET /v1/{dataset}` for any dataset, driven by its definition.
 *
 * JSON and GeoJSON answer one page (`limit`, default 100). CSV and NDJSON are for bulk pulls:
 * they stream every row the filters select, in keyset batches, unless `limit` is given, in which
 * case they answer that one page and put the next page's URL in a `Link: …; rel="next"` header.
 */
export function listDataset<K extends OperationId>({ db }: AppDeps, dataset: DatasetDefinition): Handler<K> {
  const surface = listSurface(dataset);
  return async ({ query: typedQuery, req, res }) => {
    const query = typedQuery as Record<string, unknown>;
    const format = chooseFormat(req, query.format as string | undefined, Boolean(surface.point));
    const request = readListRequest(surface, query);
    if (answerFromCache(req, res, await dataVersionOf(db.knex, [dataset.key]), format)) return RESPONDED;
    if (format === 'csv' || format === 'geojson') res.setHeader('Content-Disposition', attachment(dataset.key, format));
    if (isHead(res)) {
      // Status, type and validators are known without reading a row: a HEAD runs no query and no
      // export. Link and X-Total-Count, which only the rows can tell, are left out (RFC 9110 9.3.2).
      res.status(200).type(MEDIA_TYPES[format]).end();
      return RESPONDED;
    }

    const cursor = query.cursor as string | undefined;
    const limit = pageRows(query.limit);
    const limitGiven = queryParamsOf(req).has('limit');
    if ((format === 'csv' || format === 'ndjson') && !limitGiven) {
      await streamAll(res, format, surface, request, db.knex, cursor);
      return RESPONDED;
    }
    const total = query.count === 'exact' ? countRows(db.knex, surface, request) : undefined;
    total?.catch(() => undefined); // awaited below, after the page
    if (format === 'json' || format === 'geojson') {
      const page = await readJsonPage(db.knex, surface, request, cursor, limit, format === 'geojson' ? 'feature' : 'row');
      countRowsServed(res, page.rows.length);
      const counted = total === undefined ? '' : `,"total":${await total}`;
      const head = format === 'geojson' ? '{"type":"FeatureCollection","features":[' : '{"data":[';
      const tail = `],"next_cursor":${JSON.stringify(page.nextCursor)}${counted}}`;
      if (format === 'json' && page.rows.length <= SLICE_ROWS) return new JsonText<K>(head, page.rows.join(','), tail);
      if (format === 'geojson' && page.nextCursor) res.setHeader('Link', `<${nextUrl(req.originalUrl, page.nextCursor)}>; rel="next"`);
      if (format === 'geojson' && total !== undefined) res.setHeader('X-Total-Count', String(await total));
      res.type(MEDIA_TYPES[format]);
      await streamInSlices(res, head, page.rows, tail);
      return RESPONDED;
    }
    const page = await readPage(db.knex, surface, request, cursor, limit);
    countRowsServed(res, page.rows.length);
    if (page.nextCursor) res.setHeader('Link', `<${nextUrl(req.originalUrl, page.nextCursor)}>; rel="next"`);
    if (total !== undefined) res.setHeader('X-Total-Count', String(await total));
    res.type(MEDIA_TYPES[format]);
    res.send(format === 'csv' ? csvLine(request.fields) + csvRows(page.rows, request.fields) : ndjson(page.rows, request.fields));
    return RESPONDED;
  };
}

async function countRows(knex: AppDeps['db']['knex'], surface: ListSurface, request: ListRequest): Promise<number> {
  const [row] = (await filteredRows(knex, surface, request).count({ total: '*' })) as [{ total: number | string }];
  return Number(row.total);
}

function ndjson(rows: readonly Record<string, unknown>[], fields: readonly string[]): string {
  return rows.map((row) => `${JSON.stringify(pick(row, fields))}\n`).join('');
}

function nextUrl(originalUrl: string, cursor: string): string {
  const url = new URL(originalUrl, 'http://localhost');
  url.searchParams.set('cursor', cursor);
  return url.pathname + url.search;
}

async function streamAll(
  res: Response,
  format: Extract<ListFormat, 'csv' | 'ndjson'>,
  surface: ListSurface,
  request: ListRequest,
  knex: AppDeps['db']['knex'],
  cursor: string | undefined,
): Promise<void> {
  const batches = exportRows(knex, surface, request, cursor ? { cursor } : {});
  // Read the first batch before committing to a 200, so a bad cursor still gets its 400.
  const first = await batches.next();
  res.status(200).type(MEDIA_TYPES[format]);
  const encode = (rows: Record<string, unknown>[]) =>
    format === 'csv' ? csvRows(rows, request.fields) : ndjson(rows, request.fields);
  const writer = responseWriter(res);
  await writer.write(format === 'csv' ? csvLine(request.fields) : '');
  const send = async (rows: Record<string, unknown>[]) => {
    countRowsServed(res, rows.length);
    await writer.write(encode(rows));
  };
  if (!first.done) await send(first.value);
  if (!first.done) {
    for await (const rows of batches) {
      if (writer.closed) break;
      await send(rows);
    }
  }
  res.end();
}

/** Rows written per slice before the event loop gets a turn (and the most a JSON page built whole holds). */
const SLICE_ROWS = 500;

/**
 * Writes `head`, the rows (already JSON text, rendered by PostgreSQL) joined by commas, and
 * `tail`, SLICE_ROWS rows at a time, yielding to the event loop between slices (and waiting for
 * the socket to drain), so a 10,000-row page never holds the event loop for the whole of its
 * writing, and memory holds the page's row strings plus one slice instead of a second, whole copy
 * of the body.
 */
async function streamInSlices(res: Response, head: string, rows: readonly string[], tail: string): Promise<void> {
  const writer = responseWriter(res);
  res.status(200);
  await writer.write(head);
  for (let start = 0; start < rows.length && !writer.closed; start += SLICE_ROWS) {
    const slice = rows.slice(start, start + SLICE_ROWS).join(',');
    await writer.write(start === 0 ? slice : `,${slice}`);
    if (start + SLICE_ROWS < rows.length) await new Promise((resolve) => setImmediate(resolve));
  }
  res.end(tail);
}
