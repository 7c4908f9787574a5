import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/zip-codes.ts, plus the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.zip_codes (
       objectid           integer NOT NULL,
       zip                text,
       shape_area         numeric,
       shape_len          numeric,
       the_geom           jsonb,
       _source_id         text NOT NULL,
       _row_id            text NOT NULL,
       _updated_at        timestamptz NOT NULL,
       PRIMARY KEY (objectid)
     )`,
    `CREATE INDEX zip_codes_zip_idx ON data.zip_codes (zip)`,
    `CREATE VIEW api.zip_codes AS
       SELECT objectid, zip, shape_area, shape_len, the_geom
       FROM data.zip_codes`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.zip_codes`, `DROP TABLE IF EXISTS data.zip_codes`]);
}
