import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/cta-stops.ts, plus geo_zip/geo_community_area,
// which Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.cta_stops (
       stop_id                  integer NOT NULL,
       direction_id             text,
       stop_name                text,
       station_name             text,
       station_descriptive_name text,
       map_id                   integer,
       ada                      boolean,
       red                      boolean,
       blue                     boolean,
       g                        boolean,
       brn                      boolean,
       p                        boolean,
       pexp                     boolean,
       y                        boolean,
       pnk                      boolean,
       o                        boolean,
       latitude                 double precision,
       longitude                double precision,
       geo_zip                  text,
       geo_community_area       integer,
       _source_id               text NOT NULL,
       _row_id                  text NOT NULL,
       _updated_at              timestamptz NOT NULL,
       PRIMARY KEY (stop_id)
     )`,
    `CREATE INDEX cta_stops_geo_zip_key_idx ON data.cta_stops (geo_zip, stop_id DESC)`,
    `CREATE VIEW api.cta_stops AS
       SELECT stop_id, direction_id, stop_name, station_name, station_descriptive_name, map_id, ada, red,
              blue, g, brn, p, pexp, y, pnk, o, latitude, longitude, geo_zip, geo_community_area
       FROM data.cta_stops`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.cta_stops`, `DROP TABLE IF EXISTS data.cta_stops`]);
}
