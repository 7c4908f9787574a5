import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Database } from '../../../core/db/connect.js';
import { rollupsVersionKey } from '../../../core/db/data-version.js';
import { answerFromCache, dataVersionOf } from '../datasets-api/freshness.js';
import { JsonText, type OperationId } from '../operations.js';

/**
 * Reports change when a source dataset is written or its rollups are refreshed: they get the same
 * ETag / Last-Modified / 304 handling as the lists, keyed on both versions. Returns true when a
 * 304 has been sent.
 */
export async function reportNotModified(db: Database, req: Request, res: Response, sources: readonly string[]): Promise<boolean> {
  return answerFromCache(req, res, await dataVersionOf(db.knex, [...sources, ...sources.map(rollupsVersionKey)]), 'json');
}

/**
 * `{ "data": [...] }` of a report's rows, already filtered and ordered by the query. Serialized
 * here, not by PostgreSQL: its row_to_json cost about 1.7 µs per row, more than reading the rows
 * and JSON.stringify together (by-zip for a year under bench:api's load, CPU read from /proc:
 * PostgreSQL 4.0 ms per request with row_to_json, 1.8 ms without; Node 1.3 ms, then 1.7 ms).
 */
export async function reportBody<K extends OperationId>(rows: Knex.QueryBuilder): Promise<JsonText<K>> {
  return new JsonText<K>(`{"data":${JSON.stringify(await rows)}}`);
}
