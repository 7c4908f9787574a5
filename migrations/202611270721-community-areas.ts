import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/community-areas.ts, plus the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.community_areas (
       area_numbe         integer NOT NULL,
       community          text,
       area_num_1         integer,
       shape_area         numeric,
       shape_len          numeric,
       perimeter          numeric,
       area               numeric,
       comarea            numeric,
       comarea_id         numeric,
       the_geom           jsonb,
       _source_id         text NOT NULL,
       _row_id            text NOT NULL,
       _updated_at        timestamptz NOT NULL,
       PRIMARY KEY (area_numbe)
     )`,
    `CREATE VIEW api.community_areas AS
       SELECT area_numbe, community, area_num_1, shape_area, shape_len, perimeter, area, comarea,
              comarea_id, the_geom
       FROM data.community_areas`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.community_areas`, `DROP TABLE IF EXISTS data.community_areas`]);
}
