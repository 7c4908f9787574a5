import type { Knex } from 'knex';
import type { Watermark } from '../socrata/soql.js';

/** Bookkeeping in `lakefront.sync_state`, one row per dataset and portal id. */
const TABLE = 'lakefront.sync_state';

export async function readWatermark(knex: Knex, dataset: string, sourceId: string): Promise<Watermark | undefined> {
  // Read the instant as text with microseconds: a JS Date would round, and the keyset needs it exact.
  const row = (await knex(TABLE)
    .where({ dataset, source_id: sourceId })
    .whereNotNull('watermark_updated_at')
    .first(
      'watermark_row_id',
      knex.raw(`to_char(watermark_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS updated_at`),
    )) as { watermark_row_id: string; updated_at: string } | undefined;
  if (!row) return undefined;
  return { updatedAt: `${row.updated_at.replace(/000$/, '')}Z`, rowId: row.watermark_row_id };
}

/** Moves the watermark; called inside the transaction that writes the page's rows. */
export async function saveWatermark(trx: Knex.Transaction, dataset: string, sourceId: string, watermark: Watermark | null): Promise<void> {
  await trx(TABLE)
    .insert({
      dataset,
      source_id: sourceId,
      watermark_updated_at: watermark?.updatedAt ?? null,
      watermark_row_id: watermark?.rowId ?? null,
    })
    .onConflict(['dataset', 'source_id'])
    .merge(['watermark_updated_at', 'watermark_row_id']);
}

export async function markStarted(knex: Knex, dataset: string, sourceId: string, startedAt: Date): Promise<void> {
  await knex(TABLE)
    .insert({ dataset, source_id: sourceId, last_started_at: startedAt.toISOString() })
    .onConflict(['dataset', 'source_id'])
    .merge(['last_started_at']);
}

export async function markSucceeded(
  knex: Knex,
  dataset: string,
  sourceId: string,
  result: { rowsTotal: number; durationMs: number; keyCollisions: number; schemaDrift: string | null },
): Promise<void> {
  await knex(TABLE).where({ dataset, source_id: sourceId }).update({
    rows_total: result.rowsTotal,
    last_success_at: new Date().toISOString(),
    last_duration_ms: Math.round(result.durationMs),
    last_error: null,
    key_collisions: result.keyCollisions,
    schema_drift: result.schemaDrift,
  });
}

export async function markFailed(
  knex: Knex,
  dataset: string,
  sourceId: string,
  result: { error: string; durationMs: number; keyCollisions: number; schemaDrift: string | null },
): Promise<void> {
  await knex(TABLE)
    .insert({
      dataset,
      source_id: sourceId,
      last_error: result.error,
      last_duration_ms: Math.round(result.durationMs),
      key_collisions: result.keyCollisions,
      schema_drift: result.schemaDrift,
    })
    .onConflict(['dataset', 'source_id'])
    .merge(['last_error', 'last_duration_ms', 'key_collisions', 'schema_drift']);
}

export interface SyncStateRow {
  dataset: string;
  source_id: string;
  watermark_updated_at: string | null;
  watermark_row_id: string | null;
  rows_total: number;
  last_started_at: string | null;
  last_success_at: string | null;
  last_duration_ms: number | null;
  last_error: string | null;
  /** Times the last sync met two different portal rows with one key. */
  key_collisions: number;
  /** The last comparison of the portal's columns with the definition; null when they matched. */
  schema_drift: string | null;
}

export async function readSyncStates(knex: Knex): Promise<SyncStateRow[]> {
  return (await knex(TABLE).select('*').orderBy(['dataset', 'source_id'])) as SyncStateRow[];
}
