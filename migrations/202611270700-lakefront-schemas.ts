import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// `data` holds the loaded tables, `api` the views the API reads (the only schema its role may
// read), `lakefront` the bookkeeping of syncs.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE SCHEMA IF NOT EXISTS data`,
    `CREATE SCHEMA IF NOT EXISTS api`,
    `CREATE SCHEMA IF NOT EXISTS lakefront`,
    `CREATE TABLE lakefront.sync_state (
       dataset text NOT NULL,
       source_id text NOT NULL,
       watermark_updated_at timestamptz,
       watermark_row_id text,
       rows_total bigint NOT NULL DEFAULT 0,
       last_started_at timestamptz,
       last_success_at timestamptz,
       last_duration_ms integer,
       last_error text,
       PRIMARY KEY (dataset, source_id)
     )`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP TABLE IF EXISTS lakefront.sync_state`,
    `DROP SCHEMA IF EXISTS lakefront CASCADE`,
    `DROP SCHEMA IF EXISTS api CASCADE`,
    `DROP SCHEMA IF EXISTS data CASCADE`,
  ]);
}
