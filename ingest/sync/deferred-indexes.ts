import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { tableOf } from './sql.js';

/**
 * Load first, index after, for a sync into an empty table (as pg_restore does). Maintaining the
 * secondary B-trees row by row made a COPY into Lakefront's tables several times slower than into
 * a table with its primary key alone; one sort-and-build per index afterwards costs far less.
 *
 * The protocol (functions of migration 202612070030-deferred-indexes, run with the owner's rights):
 *
 * 1. Under the dataset's sync lock, any journal an earlier run left (it crashed between 2 and 4)
 *    is restored first, so a table is never left without its indexes past the next sync.
 * 2. If the table is empty, one transaction journals each secondary index (its definition as
 *    pg_indexes gives it) and each aggregate day-marking trigger, then drops and disables them.
 *    The primary key stays: it keeps the all-new-keys check and the upsert exact.
 * 3. Pages are written as always, each with its watermark: a crash loses no committed page.
 * 4. One transaction rebuilds every journaled index from its definition, marks set-wise the days
 *    the disabled triggers would have marked, re-enables them and clears the journal. A crash
 *    there rolls it back whole, journal included, and step 1 of the next run does it again.
 */
export async function deferIndexesIfEmpty(db: Database, dataset: DatasetDefinition): Promise<boolean> {
  const result = await db.knex.raw('SELECT lakefront.defer_indexes(?) AS deferred', [tableOf(dataset)]);
  return Boolean(result.rows[0].deferred);
}

/** Step 4 (and 1): rebuilds what the journal holds for the dataset's table. Returns how many items it restored (0: nothing was deferred). */
export async function restoreDeferredIndexes(db: Database, dataset: DatasetDefinition): Promise<number> {
  const pending = await db.knex.raw(`SELECT count(*)::int AS n FROM lakefront.deferred_indexes WHERE table_name = format('%I.%I', 'data', ?::text)`, [dataset.table]);
  if (!pending.rows[0].n) return 0;
  return db.knex.transaction(async (trx) => {
    // The sorts of the index builds: in memory rather than spilled to disk for a few million rows.
    if (db.backend === 'postgres') await trx.raw(`SET LOCAL maintenance_work_mem = '256MB'`);
    const result = await trx.raw('SELECT lakefront.restore_indexes(?) AS restored', [tableOf(dataset)]);
    return Number(result.rows[0].restored);
  });
}
