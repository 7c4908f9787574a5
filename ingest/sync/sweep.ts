import type { Knex } from 'knex';
import type { DatasetDefinition } from '../../core/datasets/index.js';
import { ident } from '../../core/db/sql-ident.js';
import { keyArray, tableOf } from './sql.js';

/** Starts a full pass for one portal id: forget marks left by an earlier pass that failed. */
export async function clearSeen(knex: Knex, dataset: DatasetDefinition, sourceId: string): Promise<void> {
  await knex('lakefront.sync_seen').where({ dataset: dataset.key, source_id: sourceId }).delete();
}

/**
 * Ends a full pass that read every page: deletes this source's rows whose key the pass did not
 * see (within the `--since` window, when one bounded the pass). Returns how many were deleted.
 */
export async function sweepUnseen(knex: Knex, dataset: DatasetDefinition, sourceId: string, since: string | undefined): Promise<number> {
  return knex.transaction(async (trx) => {
    const window = since && dataset.timeColumn ? ` AND t.${ident(dataset.timeColumn)} >= ?` : '';
    const result = await trx.raw(
      `DELETE FROM ${tableOf(dataset)} t WHERE t._source_id = ?${window} AND NOT EXISTS (
         SELECT 1 FROM lakefront.sync_seen s
         WHERE s.dataset = ? AND s.source_id = ? AND s.row_key = ${keyArray(dataset, 't')})`,
      [sourceId, ...(window && since ? [since] : []), dataset.key, sourceId],
    );
    await trx('lakefront.sync_seen').where({ dataset: dataset.key, source_id: sourceId }).delete();
    return Number(result.rowCount ?? result.affectedRows ?? 0);
  });
}
