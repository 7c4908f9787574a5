import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// What a sync could not do cleanly, kept where `lakefront status` can show it:
// - `lakefront.sync_rejects`: portal rows the database refused (or without a usable key), with the
//   raw row as JSON text (text, not jsonb: jsonb cannot hold the \u0000 a refused row may carry)
//   and the reason; every sync retries them first and deletes the ones it stores.
// - `sync_state.key_collisions`: how many times the last sync of a source met two different
//   portal rows (different `:id`) with one key.
// - `sync_state.schema_drift`: the last comparison of the portal's column metadata with the
//   definition, one line (NULL when they match).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE lakefront.sync_rejects (
       dataset           text NOT NULL,
       source_id         text NOT NULL,
       row_id            text NOT NULL,
       raw               text NOT NULL,
       reason            text NOT NULL,
       first_rejected_at timestamptz NOT NULL,
       last_tried_at     timestamptz NOT NULL,
       attempts          integer NOT NULL,
       PRIMARY KEY (dataset, source_id, row_id)
     )`,
    `ALTER TABLE lakefront.sync_state ADD COLUMN key_collisions integer NOT NULL DEFAULT 0`,
    `ALTER TABLE lakefront.sync_state ADD COLUMN schema_drift text`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `ALTER TABLE lakefront.sync_state DROP COLUMN IF EXISTS schema_drift`,
    `ALTER TABLE lakefront.sync_state DROP COLUMN IF EXISTS key_collisions`,
    `DROP TABLE IF EXISTS lakefront.sync_rejects`,
  ]);
}
