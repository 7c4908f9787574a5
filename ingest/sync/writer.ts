import type { Knex } from 'knex';
import { GEO_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Watermark } from '../socrata/soql.js';
import { columnNames, type DbValue } from '../soda-values.js';
import type { EncodedPage } from './encode-page.js';
import { copyRows } from './staging.js';
import { saveWatermark } from './state.js';
import { ident } from '../../core/db/sql-ident.js';
import { keyArray, tableOf } from './sql.js';

/** How one dataset's pages are written: which columns, into which table. */
export interface WritePlan {
  readonly dataset: DatasetDefinition;
  readonly columns: readonly string[];
  readonly stage: string;
  readonly upsertSql: string;
  /** SQL type of a single-column primary key (for the all-new-keys check); absent for composite keys. */
  readonly keyType?: string;
}

/**
 * Works out the columns to write. The geo columns are written only when an enricher fills them
 * (otherwise whatever computed them before is left alone).
 */
export async function planWrites(knex: Knex, dataset: DatasetDefinition, withGeo: boolean): Promise<WritePlan> {
  const result = await knex.raw(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'data' AND table_name = ?`, [dataset.table]);
  const existing = new Set((result.rows as { column_name: string }[]).map((row) => row.column_name));
  if (existing.size === 0) throw new Error(`table data.${dataset.table} does not exist; run "lakefront migrate"`);
  const columns = columnNames(dataset);
  const missing = columns.filter((column) => !existing.has(column));
  if (missing.length) throw new Error(`table data.${dataset.table} lacks column(s) ${missing.join(', ')}; run "lakefront migrate"`);
  if (withGeo && dataset.point) columns.push(...Object.values(GEO_COLUMNS).filter((column) => existing.has(column)));
  const stage = `lakefront_stage_${dataset.table}`;
  const list = columns.map(ident).join(', ');
  const updates = columns.filter((column) => !dataset.primaryKey.includes(column)).map((column) => `${ident(column)} = EXCLUDED.${ident(column)}`);
  const upsertSql =
    `INSERT INTO ${tableOf(dataset)} (${list}) SELECT ${list} FROM ${ident(stage)} ` +
    `ON CONFLICT (${dataset.primaryKey.map(ident).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  let keyType: string | undefined;
  if (dataset.primaryKey.length === 1) {
    const type = await knex.raw(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ?`, [
      `data.${ident(dataset.table)}`,
      dataset.primaryKey[0]!,
    ]);
    keyType = (type.rows[0] as { type?: string } | undefined)?.type;
  }
  return { dataset, columns, stage, upsertSql, ...(keyType ? { keyType } : {}) };
}

/**
 * Writes one page in one transaction: stage, upsert on the primary key, remember the keys for a
 * full pass's sweep, and move the watermark. A crash before COMMIT loses the page and keeps the
 * old watermark, so the rerun reads the page again; after COMMIT both are there.
 *
 * Staging does not wait for `previous` (the prior page's commit): on PostgreSQL this page's COPY
 * runs on its own connection while the prior page is upserted. The upsert and the watermark wait
 * for it, so pages commit strictly in order, and if the prior page failed this one rolls back.
 */
export async function writePage(
  db: Database,
  plan: WritePlan,
  page: EncodedPage,
  checkpoint: { sourceId: string; watermark: Watermark; recordSeen: boolean },
  previous: Promise<unknown> = Promise.resolve(),
): Promise<void> {
  const { dataset } = plan;
  await db.knex.transaction(async (trx) => {
    const list = plan.columns.map(ident).join(', ');
    if (db.backend === 'postgres') {
      // Safe to skip the flush wait: a page lost to a server crash loses its watermark with it
      // (one transaction), so the next run reads it again.
      await trx.raw('SET LOCAL synchronous_commit = off');
    }
    if (plan.keyType && !checkpoint.recordSeen) {
      // A page whose keys are all new (a backfill) is an insert whatever the method: COPY it
      // straight into the table. Checked after the prior page committed, under the dataset's
      // lock, so no other writer can add one of these keys before this transaction commits.
      await previous;
      if (!(await anyKeyExists(trx, plan, page.keys))) {
        await copyRows(db.backend, trx, tableOf(dataset), plan.columns, page.copyText);
        await saveWatermark(trx, dataset.key, checkpoint.sourceId, checkpoint.watermark);
        return;
      }
    }
    await trx.raw(`CREATE TEMP TABLE ${ident(plan.stage)} ON COMMIT DROP AS SELECT ${list} FROM ${tableOf(dataset)} WITH NO DATA`);
    await copyRows(db.backend, trx, ident(plan.stage), plan.columns, page.copyText);
    await previous;
    await trx.raw(plan.upsertSql);
    if (checkpoint.recordSeen) {
      await trx.raw(`INSERT INTO lakefront.sync_seen (dataset, source_id, row_key) SELECT ?, ?, ${keyArray(dataset, 's')} FROM ${ident(plan.stage)} s`, [
        dataset.key,
        checkpoint.sourceId,
      ]);
    }
    await saveWatermark(trx, dataset.key, checkpoint.sourceId, checkpoint.watermark);
  });
}

async function anyKeyExists(trx: Knex.Transaction, plan: WritePlan, keys: readonly DbValue[]): Promise<boolean> {
  if (keys.length === 0) return false;
  const key = plan.dataset.primaryKey[0]!;
  const result = await trx.raw(`SELECT EXISTS (SELECT 1 FROM ${tableOf(plan.dataset)} WHERE ${ident(key)} = ANY(?::${plan.keyType}[])) AS found`, [
    keys as string[],
  ]);
  return Boolean(result.rows[0].found);
}
