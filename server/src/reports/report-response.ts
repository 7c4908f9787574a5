import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Database } from '../../../core/db/connect.js';
import { answerFromCache, lastSyncOf } from '../datasets-api/freshness.js';
import { JsonText, type OperationId } from '../operations.js';

/**
 * Reports change only when a source dataset syncs: they get the same ETag / Last-Modified /
 * 304 handling as the lists. Returns true when a 304 has been sent.
 */
export async function reportNotModified(db: Database, req: Request, res: Response, sources: readonly string[]): Promise<boolean> {
  return answerFromCache(req, res, await lastSyncOf(db.knex, sources), 'json');
}

/**
 * `{ "data": [...] }` of a report's rows, in `order` (output column names), rendered as JSON by
 * PostgreSQL: a report can be hundreds of rows, and parsing each value only to serialize it
 * again was most of a report request's CPU in Node.
 */
export async function reportBody<K extends OperationId>(knex: Knex, rows: Knex.QueryBuilder, order: readonly string[]): Promise<JsonText<K>> {
  const sorted = order.map(() => '??').join(', ');
  // string_agg rather than json_agg, which puts a line break between elements.
  const aggregate = knex.raw(`'[' || coalesce(string_agg(row_to_json(r)::text, ',' ORDER BY ${sorted}), '') || ']' AS data`, order.map((column) => `r.${column}`));
  const [{ data }] = (await knex.select(aggregate).from(rows.as('r'))) as [{ data: string }];
  return new JsonText<K>(`{"data":${data}}`);
}
