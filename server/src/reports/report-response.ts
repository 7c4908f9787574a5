import type { Request, Response } from 'express';
import type { Database } from '../../../core/db/connect.js';
import { answerFromCache, lastSyncOf } from '../datasets-api/freshness.js';

/**
 * Reports change only when a source dataset syncs: they get the same ETag / Last-Modified /
 * 304 handling as the lists. Returns true when a 304 has been sent.
 */
export async function reportNotModified(db: Database, req: Request, res: Response, sources: readonly string[]): Promise<boolean> {
  return answerFromCache(req, res, await lastSyncOf(db.knex, sources), 'json');
}
