import type { Knex } from 'knex';
import { readPage, type ListRequest } from './list-query.js';
import type { ListSurface } from '../../../core/datasets/list-surface.js';

const BATCH_ROWS = 5_000;

/**
 * Every row the filters select, in keyset batches: memory holds one batch whatever the size of
 * the result, and the same code runs on PGlite and PostgreSQL. `limit` (when the client gave one)
 * caps the total. The caller awaits each batch before asking for the next, so a slow client
 * slows the reads instead of filling memory.
 */
export async function* exportRows(
  knex: Knex,
  surface: ListSurface,
  request: ListRequest,
  options: { cursor?: string; limit?: number },
): AsyncGenerator<Record<string, unknown>[], string | null> {
  let cursor = options.cursor;
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const { rows, nextCursor } = await readPage(knex, surface, request, cursor, Math.min(BATCH_ROWS, remaining));
    remaining -= rows.length;
    if (rows.length) yield rows;
    if (!nextCursor) return null;
    if (remaining <= 0) return nextCursor;
    cursor = nextCursor;
  }
  return null;
}
