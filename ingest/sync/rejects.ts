import type { Knex } from 'knex';
import type { RefusedRow } from './encode-page.js';

/**
 * Rows Lakefront could not store (the database refused them, or they have no usable key), one
 * per dataset, portal id and portal row id, with the raw row and the reason. `lakefront status`
 * counts them; each sync retries them first. Nothing is dropped silently.
 */
const TABLE = 'lakefront.sync_rejects';

export interface StoredReject {
  readonly rowId: string;
  readonly raw: string;
}

export async function readRejects(knex: Knex, dataset: string, sourceId: string): Promise<StoredReject[]> {
  const rows = (await knex(TABLE).where({ dataset, source_id: sourceId }).orderBy('row_id').select('row_id', 'raw')) as { row_id: string; raw: string }[];
  return rows.map((row) => ({ rowId: row.row_id, raw: row.raw }));
}

/** Records (or re-records, counting the attempt) rows that could not be stored. */
export async function saveRejects(knex: Knex, dataset: string, sourceId: string, rows: readonly RefusedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const now = new Date().toISOString();
  await knex(TABLE)
    .insert(rows.map((row) => ({ dataset, source_id: sourceId, row_id: row.rowId, raw: row.raw, reason: row.reason, first_rejected_at: now, last_tried_at: now, attempts: 1 })))
    .onConflict(['dataset', 'source_id', 'row_id'])
    .merge({ raw: knex.raw('EXCLUDED.raw'), reason: knex.raw('EXCLUDED.reason'), last_tried_at: now, attempts: knex.raw(`${TABLE}.attempts + 1`) });
}

/** Forgets rejects whose portal row has now been stored. */
export async function clearRejects(knex: Knex, dataset: string, sourceId: string, rowIds: readonly string[]): Promise<void> {
  if (rowIds.length === 0) return;
  await knex(TABLE).where({ dataset, source_id: sourceId }).whereIn('row_id', [...rowIds]).delete();
}

export async function countRejects(knex: Knex): Promise<Map<string, number>> {
  const rows = (await knex(TABLE).select('dataset', 'source_id').count({ rejects: '*' }).groupBy('dataset', 'source_id')) as {
    dataset: string;
    source_id: string;
    rejects: string | number;
  }[];
  return new Map(rows.map((row) => [`${row.dataset}\u0000${row.source_id}`, Number(row.rejects)]));
}
